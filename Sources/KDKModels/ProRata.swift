import KDK

/// Splitting an amount in proportion to weights, each share at most its
/// limit: whoever's share reaches their limit gets the limit, and what they
/// leave is shared again among the others until nobody's share exceeds its
/// limit (water-filling; one pass is not enough in general). Shares are
/// exact (`x * y / z` without intermediate rounding), then rounded down to
/// `places`. A launchpad's allocation and a campaign's `share` use it.
enum ProRata {
    struct Split {
        /// Each weight's share, in the weights' order.
        var shares: [ExactDecimal]
        /// What rounding down left over.
        var dust: ExactDecimal
        /// What nobody could take (everyone at their limit).
        var unplaced: ExactDecimal
    }

    /// Weights must be positive; a nil limit is no limit.
    static func split(_ amount: ExactDecimal, weights: [ExactDecimal], limits: [ExactDecimal?], places: Int,
                      _ m: Machine) throws -> Split {
        try split(amount, weights: weights, limit: { limits[$0] }, places: places, m)
    }

    /// The same, with weight `i`'s limit worked out when it is needed (a
    /// million limits need not be kept).
    static func split(_ amount: ExactDecimal, weights: [ExactDecimal], limit: (Int) throws -> ExactDecimal?, places: Int,
                      _ m: Machine) throws -> Split {
        // A round's trial shares are written where the shares go: a share
        // that reaches its limit is set to the limit, and the others are
        // worked out again next round (one array fewer of a million values).
        var shares = [ExactDecimal](repeating: .zero, count: weights.count)
        var active = Array(weights.indices)
        var remaining = amount
        while true {
            try m.step()
            if active.isEmpty { return Split(shares: shares, dust: .zero, unplaced: remaining) }
            var total = ExactDecimal.zero
            for i in active { total = try ExactDecimal.add(total, weights[i]) }
            var full: [Int] = []
            for i in active {
                shares[i] = try ExactDecimal.mulDiv(remaining, weights[i], total, places: places, .down)
                if let l = try limit(i), shares[i] >= l { full.append(i) }
            }
            if full.isEmpty {
                var given = ExactDecimal.zero
                for i in active { given = try ExactDecimal.add(given, shares[i]) }
                return Split(shares: shares, dust: try ExactDecimal.subtract(remaining, given), unplaced: .zero)
            }
            var isFull = [Bool](repeating: false, count: weights.count)
            for i in full {
                shares[i] = try limit(i)!  // in `full` only when it has a limit
                isFull[i] = true
                remaining = try ExactDecimal.subtract(remaining, shares[i])
            }
            active.removeAll { isFull[$0] }
        }
    }
}
