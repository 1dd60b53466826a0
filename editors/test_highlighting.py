#!/usr/bin/env python3
"""Tokenizes kdk files with the VS Code grammar (editors/vscode/syntaxes/
kdk.tmLanguage.json), by a small TextMate engine written here (match,
begin/end, captures, includes; first match wins, the end pattern first), and
checks what a reader must see: keywords, numbers with their units, times,
texts with interpolation, comments. Run by scripts/test.

    python3 editors/test_highlighting.py
"""
import json, os, re, sys

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
grammar = json.load(open(os.path.join(here, "vscode", "syntaxes", "kdk.tmLanguage.json")))
repo = grammar["repository"]

def flatten(patterns):
    """The rules a list of patterns stands for, includes resolved."""
    out = []
    for p in patterns:
        if "include" in p:
            name = p["include"]
            target = grammar if name == "$self" else repo[name[1:]]
            out += flatten(target["patterns"]) if "patterns" in target and "match" not in target and "begin" not in target else [target]
        else:
            out.append(p)
    return out

compiled = {}
def rx(pattern):
    if pattern not in compiled:
        compiled[pattern] = re.compile(pattern)
    return compiled[pattern]

def tokenize(text):
    """[(token text, [scopes])] for a whole file; the rule stack carries over lines."""
    tokens = []
    stack = [(None, ["source.kdk"])]  # (begin rule or None, scopes inside it)
    for line in text.split("\n"):
        pos = 0
        while pos <= len(line):
            rule, scopes = stack[-1]
            rules = flatten(rule["patterns"]) if rule and "patterns" in rule else flatten(grammar["patterns"]) if rule is None else []
            best = None
            if rule is not None:
                m = rx(rule["end"]).search(line, pos)
                if m:
                    best = (m.start(), 0, "end", rule, m)
            for i, r in enumerate(rules):
                m = rx(r.get("match") or r["begin"]).search(line, pos)
                if m and (m.end() > m.start() or "begin" in r) and (best is None or m.start() < best[0]):
                    best = (m.start(), i + 1, "begin" if "begin" in r else "match", r, m)
            if best is None:
                if pos < len(line):
                    tokens.append((line[pos:], scopes))
                break
            start, _, kind, r, m = best
            if start > pos:
                tokens.append((line[pos:start], scopes))
            if kind == "end":
                inner = scopes
                tokens.append((m.group(0), inner + [c["name"] for c in r.get("endCaptures", {}).values()]))
                stack.pop()
            elif kind == "match":
                base = scopes + ([r["name"]] if "name" in r else [])
                caps = r.get("captures", {})
                if caps:
                    at = m.start()
                    for g in sorted(caps, key=int):
                        g = int(g)
                        if m.group(g) is None or g == 0:
                            continue
                        if m.start(g) > at:
                            tokens.append((line[at:m.start(g)], base))
                        tokens.append((m.group(g), base + [caps[str(g)]["name"]]))
                        at = m.end(g)
                    if at < m.end():
                        tokens.append((line[at:m.end()], base))
                else:
                    tokens.append((m.group(0), base))
            else:
                outer = scopes + ([r["name"]] if "name" in r else [])
                tokens.append((m.group(0), outer + [c["name"] for c in r.get("beginCaptures", {}).values()]))
                stack.append((r, outer + ([r["contentName"]] if "contentName" in r else [])))
            pos = m.end()
            if m.end() == m.start() and kind != "begin":
                pos += 1
    return tokens

def scopes_of(tokens, text):
    """The scopes of every token whose text is `text`."""
    return [s for t, s in tokens if t == text]

checks = 0
def expect(cond, message):
    global checks
    checks += 1
    if not cond:
        print("editors/test_highlighting.py: " + message)
        sys.exit(1)

def has(tokens, text, scope):
    return any(scope in s for s in scopes_of(tokens, text))

# Every example: comments are comments (and a '#' inside a text is not one).
for name in sorted(os.listdir(os.path.join(root, "examples"))):
    if not name.endswith(".kdk"):
        continue
    src = open(os.path.join(root, "examples", name), encoding="utf-8").read()
    toks = tokenize(src)
    for t, s in toks:
        if t.startswith("#"):
            in_text = any(x.startswith("string") for x in s)
            expect(in_text or "comment.line.number-sign.kdk" in s, f"{name}: {t!r} is not a comment: {s}")
    for t, s in toks:
        if "comment.line.number-sign.kdk" in s:
            expect(t.startswith("#"), f"{name}: {t!r} marked a comment")

# The rewards example, read as a person would.
rewards = tokenize(open(os.path.join(root, "examples", "rewards.kdk"), encoding="utf-8").read())
expect(has(rewards, "2_600", "constant.numeric.kdk") and has(rewards, "KDK", "support.type.unit.kdk"), "2_600 KDK is a number and a unit")
expect(has(rewards, "5_000", "constant.numeric.kdk") and has(rewards, "USDT", "support.type.unit.kdk"), "5_000 USDT is a number and a unit")
expect(has(rewards, "2025-12-19T12:00+08:00", "constant.other.date.kdk"), "a time is one date token")
expect(has(rewards, "campaign", "storage.type.model.kdk") and has(rewards, "PostToWinKDK", "entity.name.type.kdk"), "a model declaration")
expect(has(rewards, "extends", "keyword.other.extends.kdk"), "extends in a model declaration")
expect(has(rewards, "let", "keyword.declaration.kdk") and has(rewards, "topics", "variable.other.definition.kdk"), "let and its name")
expect(has(rewards, "\"#PostToWinLaunchpadKDK\"", "string.quoted.double.kdk") or any("string.quoted.double.kdk" in s for t, s in rewards if "#PostToWin" in t), "a hashtag inside a text stays text")

# Snippets: each kind of token.
snippet = tokenize('fn prize(rank) = if rank == 1 then 400 KDK else none  # tiers\n'
                   'let s = "post \\(i + 1) by user\\(mod(i, 1000))"\n'
                   'let r = 36 hours + 1.5 days\n'
                   'let p = 10% and true or not false\n'
                   'xs.map(x => x * 2) |> sum\n')
expect(has(snippet, "fn", "keyword.declaration.function.kdk") and has(snippet, "prize", "entity.name.function.kdk"), "fn and its name")
expect(has(snippet, "if", "keyword.control.conditional.kdk") and has(snippet, "then", "keyword.control.conditional.kdk")
       and has(snippet, "else", "keyword.control.conditional.kdk"), "if/then/else")
expect(has(snippet, "400", "constant.numeric.kdk") and has(snippet, "KDK", "support.type.unit.kdk"), "400 KDK")
expect(has(snippet, "none", "constant.language.kdk") and has(snippet, "true", "constant.language.kdk"), "none and true")
expect(has(snippet, "# tiers", "comment.line.number-sign.kdk"), "a trailing comment")
expect(has(snippet, "\\(", "punctuation.section.interpolation.begin.kdk"), "an interpolation opens")
expect(any(t == "1" and "meta.interpolation.kdk" in s and "constant.numeric.kdk" in s for t, s in snippet), "a number inside an interpolation")
expect(any(t == "mod" and "meta.interpolation.kdk" in s and "entity.name.function.call.kdk" in s for t, s in snippet), "a call inside an interpolation")
expect(any(t == " by user" and "string.quoted.double.kdk" in s and "meta.interpolation.kdk" not in s for t, s in snippet), "text after an interpolation")
expect(has(snippet, "hours", "support.type.unit.kdk") and has(snippet, "days", "support.type.unit.kdk"), "durations are units")
expect(has(snippet, "10%", "constant.numeric.kdk"), "a percentage is a number")
expect(has(snippet, "and", "keyword.operator.logical.kdk") and has(snippet, "not", "keyword.operator.logical.kdk"), "and, not")
expect(has(snippet, "=>", "keyword.operator.kdk") and has(snippet, "|>", "keyword.operator.kdk"), "=> and |>")
expect(has(snippet, "map", "entity.name.function.call.kdk"), "a method call")

# The Pygments lexer, on the same snippet (skipped where Pygments is missing).
try:
    from pygments.token import Comment, Keyword, Name, Number, Operator, String
    sys.path.insert(0, os.path.join(here, "pygments"))
    from kdk_lexer import KdkLexer
except ImportError:
    print("editors/test_highlighting.py: Pygments not installed (pip install pygments): its lexer was not checked")
else:
    text = ('fn prize(rank) = if rank == 1 then 400 KDK else none  # tiers\n'
            'let s = "post \\(mod(i, 1000)) by"\n'
            'let t = 2025-12-19T12:00+08:00 + 36 hours\n'
            'campaign Base extends Other {\n  pool = 10%\n}\n')
    toks = [(t, v) for t, v in KdkLexer().get_tokens(text) if v.strip()]
    def lexed(value, kind):
        return any(v == value and t in kind for t, v in toks)
    expect(lexed("fn", Keyword) and lexed("prize", Name.Function), "pygments: fn and its name")
    expect(lexed("400", Number) and lexed("KDK", Name.Builtin) and lexed("hours", Name.Builtin), "pygments: numbers with units")
    expect(lexed("2025-12-19T12:00+08:00", Number), "pygments: a time")
    expect(lexed("# tiers", Comment), "pygments: a comment")
    expect(lexed("\\(", String.Interpol) and lexed("mod", Name.Function) and lexed(" by", String), "pygments: an interpolation")
    expect(lexed("campaign", Keyword) and lexed("Base", Name.Class) and lexed("extends", Keyword), "pygments: a model")
    expect(lexed("if", Keyword) and lexed("none", Keyword.Constant) and lexed("10%", Number), "pygments: keywords and constants")
    expect(not any(t in Comment for t, v in KdkLexer().get_tokens('"#PostToWin"')), "pygments: a hashtag in a text")

print(f"editors/test_highlighting.py: {checks} checks passed")
