#!/usr/bin/env python3
"""Writes examples/campaign.ipynb and examples/ai_capex.ipynb (the seed
campaign and the essay's scenarios as notebooks) and runs them with the kdk
kernel, storing their outputs. Needs the kernel installed (scripts/kdk
jupyter install --user) and nbclient. Tests/notebook/test_notebooks.py
runs them again and compares the outputs.

    scripts/make_notebooks.py
"""
import os, sys
import nbformat
from nbclient import NotebookClient

here = os.path.dirname(os.path.abspath(__file__))
examples = os.path.join(os.path.dirname(here), "examples")

def md(text): return nbformat.v4.new_markdown_cell(text)
def code(text): return nbformat.v4.new_code_cell(text)

CAMPAIGN = [
    md("# The seed campaign: #PostToWinLaunchpadKDK\n\n"
       "The exchange's announcement (活动时间 2025/12/19 12:00 – 12/30 24:00, UTC+8; 第 1 名 400 KDK, "
       "前 5 名 200 KDK/人, 前 15 名 40 KDK/人, 总奖励 2,000 KDK; 内容需原创; 获奖者需完成身份认证) as kdk rules, "
       "over 2,000 generated posts (`data/posts.csv`). The same rules as `campaign.kdk`."),
    code('unit KDK decimals 8\n\nlet topics = ["#发帖赢Launchpad新币KDK", "#PostToWinLaunchpadKDK"].map(lower)\n\n'
         'campaign PostToWinKDK {\n'
         '  window = 2025-12-19T12:00+08:00 ..< 2025-12-30T24:00+08:00\n'
         '  pool   = 2_000 KDK\n'
         '  tiers  = [tier(1, 400 KDK), tier(2...6, 200 KDK), tier(7...21, 40 KDK)]\n'
         '  rules  = [\n'
         '    rule("in window", p => p.time in window),\n'
         '    rule("has a topic", p => hashtags(p.text).any(t => lower(t) in topics)),\n'
         '    rule("original", p => p.original),\n'
         '  ]\n'
         '  score(p)        = p.likes + 2 * p.comments + 3 * p.shares\n'
         '  one_prize_per   = p => p.author\n'
         '  qualifies       = p => p.kyc_verified\n'
         '  on_disqualified = "pass_down"\n'
         '}'),
    md("Load the posts; the table shows the first few (a cell's last value is shown as a table)."),
    code('let posts = read_csv("data/posts.csv")\nposts |> first(5) |> map(p => {id: p.id, author: p.author, time: p.time, likes: p.likes, original: p.original})'),
    code('let result = PostToWinKDK.award(posts)\n'
         'print("entries \\(result.entries), eligible \\(result.eligible), paid \\(result.paid), unallocated \\(result.unallocated)")'),
    md("Why some of the edge cases are out, and one entry's story:"),
    code('display(result.excluded.filter(x => x.id <= 14).map(x => {id: x.id, author: x.author, rule: x.rule}))\n'
         'PostToWinKDK.explain(posts[9], posts)'),
    md("The winners:"),
    code('result.winners.map(w => {rank: w.rank, author: w.author, post: w.id, score: w.score, prize: w.prize})'),
]

AI_CAPEX = [
    md("# $5 trillion of AI capex: what revenue does it need?\n\n"
       "The essay's argument as kdk scenarios (the same as `ai_capex.kdk`): every outside figure is a field "
       "with its source, every assumption a field to override."),
    code('scenario Skeptic {\n'
         '  capex  = 5T USD  # JPMorgan estimate of global AI capex through 2030 (as quoted in the essay)\n'
         '  hurdle = 10%     # the annual return investors require\n'
         '  cost_share       = 23%  # our assumption: operating costs as a share of revenue\n'
         '  required_revenue = capex * hurdle / (1 - cost_share)\n'
         '  apple_fy2024 = 391.04B USD  # Apple fiscal 2024 revenue (Form 10-K)\n'
         '  openai_arr   = 20B USD      # OpenAI annualized revenue, late 2025 (press reports)\n'
         '  times_apple  = round(required_revenue / apple_fy2024, 2)\n'
         '  times_openai = round(required_revenue / openai_arr, 1)\n'
         '  ai_revenue_2026 = 150B USD  # assumption\n'
         '  ai_growth       = 15%       # assumption: a one-off build-out grows slowly\n'
         '  projected       = project(ai_revenue_2026, ai_growth, 2026...2032, name: "projected")\n'
         '}\n\n'
         'scenario Factory extends Skeptic {\n'
         '  ai_growth = 45%  # assumption: demand compounding with real-time inference\n'
         '}\n\n'
         'let stress = Skeptic with { hurdle = 12%, capex = 7T USD }\n'
         'Skeptic.required_revenue'),
    md("What follows when one assumption moves:"),
    code('compare([Skeptic, Factory, stress], ["capex", "hurdle", "required_revenue", "times_apple", "times_openai"])'),
    code('sensitivity(Skeptic, hurdle: [8%, 10%, 12%], capex: [4T USD, 5T USD, 7T USD], show: "required_revenue")'),
    md("Required against projected AI revenue, as a chart (SVG inline):"),
    code('let rows = zip(Skeptic.projected, Factory.projected).map(p => {\n'
         '  year: p[0].year,\n  required: Skeptic.required_revenue,\n  skeptic: p[0].projected,\n  factory: p[1].projected,\n})\n'
         'chart(rows, title: "Required against projected AI revenue (USD)")'),
]

def build(name, cells):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "kdk", "display_name": "kdk", "language": "kdk"}
    nb.metadata["language_info"] = {"name": "kdk", "file_extension": ".kdk"}
    nb.cells = cells
    NotebookClient(nb, timeout=120, kernel_name="kdk", resources={"metadata": {"path": examples}}).execute()
    path = os.path.join(examples, name)
    nbformat.write(nb, path)
    print(f"wrote {path}")

if __name__ == "__main__":
    build("campaign.ipynb", CAMPAIGN)
    build("ai_capex.ipynb", AI_CAPEX)
