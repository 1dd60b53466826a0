#!/usr/bin/env python3
"""The AI-capex scenario with ranges (examples/ai_capex_ranges.kdk) as a
numpy user writes it: vectorized draws, one array per field. Prints the
probability that required revenue exceeds 1.5x Apple's and its median in $B."""
import math, sys
import numpy as np

runs = int(sys.argv[1])
rng = np.random.default_rng(2025)
z90 = 1.6448536269514722
mu, sigma = (math.log(4e12) + math.log(7e12)) / 2, (math.log(7e12) - math.log(4e12)) / (2 * z90)
capex = rng.lognormal(mu, sigma, runs)
hurdle = rng.triangular(0.08, 0.10, 0.12, runs)
cost_share = rng.uniform(0.18, 0.28, runs)
required = capex * hurdle / (1 - cost_share)
times_apple = required / 391.04e9
print([round(float((times_apple > 1.5).mean()), 2), round(float(np.median(required)) / 1e9)])
