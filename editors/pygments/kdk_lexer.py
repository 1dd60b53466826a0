"""A Pygments lexer for kdk, so documentation can show highlighted kdk:

    pygmentize -l editors/pygments/kdk_lexer.py:KdkLexer -x -f html file.kdk

It follows the VS Code grammar (editors/vscode/syntaxes/kdk.tmLanguage.json);
editors/test_highlighting.py checks both on the same snippets.
"""
from pygments.lexer import RegexLexer, bygroups, include
from pygments.token import Comment, Keyword, Name, Number, Operator, Punctuation, String, Text, Whitespace

UNITS = r"(USDT|USD|seconds|minutes|hours|days|weeks|[A-Z][A-Z0-9]{1,9})\b"
NUMBER = r"\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?[KMBT]?"


class KdkLexer(RegexLexer):
    name = "kdk"
    aliases = ["kdk"]
    filenames = ["*.kdk"]

    tokens = {
        "root": [
            (r"[ \t]+", Whitespace),
            (r"\n", Whitespace),
            (r"#.*$", Comment.Single),
            (r'"', String.Double, "text"),
            (r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?", Number.Other),
            (r"\b(" + NUMBER + r")([ \t]+)" + UNITS, bygroups(Number, Whitespace, Name.Builtin)),
            (r"\b" + NUMBER + r"%?", Number),
            (r"\b(fn)([ \t]+)([A-Za-z_]\w*)", bygroups(Keyword.Declaration, Whitespace, Name.Function)),
            (r"\b(let|unit)([ \t]+)([A-Za-z_]\w*)", bygroups(Keyword.Declaration, Whitespace, Name.Variable)),
            (r"^([ \t]*)([a-z_]\w*)([ \t]+)([A-Z]\w*)(?:([ \t]+)(extends)([ \t]+)([A-Z]\w*))?(?=[ \t]*\{)",
             bygroups(Whitespace, Keyword.Type, Whitespace, Name.Class, Whitespace, Keyword, Whitespace, Name.Class)),
            (r"\b(if|then|else)\b", Keyword),
            (r"\b(and|or|not|in)\b", Operator.Word),
            (r"\b(let|fn|with|extends|import|as|unit|decimals|display)\b", Keyword),
            (r"\b(true|false|none)\b", Keyword.Constant),
            (r"\b(USDT|USD)\b", Name.Builtin),
            (r"\b([a-z_]\w*)(?=\()", Name.Function),
            (r"[A-Za-z_]\w*", Name),
            (r"=>|\|>|\?\?|\.\.\.|\.\.<|==|!=|<=|>=|[-+*/^<>=%]", Operator),
            (r"[()\[\]{},.:;]", Punctuation),
        ],
        "text": [
            (r'"', String.Double, "#pop"),
            (r"\\\(", String.Interpol, "interpolation"),
            (r"\\.", String.Escape),
            (r'[^"\\]+', String.Double),
        ],
        "interpolation": [
            (r"\)", String.Interpol, "#pop"),
            (r"\(", Punctuation, "parens"),
            include("root"),
        ],
        "parens": [
            (r"\)", Punctuation, "#pop"),
            (r"\(", Punctuation, "#push"),
            include("root"),
        ],
    }
