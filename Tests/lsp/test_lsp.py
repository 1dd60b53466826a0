"""End-to-end tests of `kdk lsp` as an editor meets it: pytest-lsp starts the
server, opens documents and asks for each capability. Run by scripts/test
(`python3 -m pytest Tests/lsp`); needs `pip install pytest-lsp` and a built
`.build/debug/kdk`."""
import pathlib
import time

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

ROOT = pathlib.Path(__file__).resolve().parents[2]
KDK = ROOT / ".build" / "debug" / "kdk"
URI = (ROOT / "Tests" / "lsp" / "campaign.kdk").as_uri()

SOURCE = """unit KDK decimals 8
let topics = ["#PostToWinLaunchpadKDK"]

campaign Seed {
  pool  = 1_400 KDK
  tiers = [tier(1, 400 KDK), tier(2...6, 200 KDK)]
  rules = [rule("has a topic", p => hashtags(p.text).any(t => lower(t) in topics))]
  score(p) = p.likes + 2 * p.comments
}

fn double(x) = x * 2
let total = double(Seed.pool)
let fee = 5 USD
"""


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[str(KDK), "lsp"]))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(types.InitializeParams(capabilities=types.ClientCapabilities(), root_uri=ROOT.as_uri()))
    yield
    await lsp_client.shutdown_session()


async def open_document(client, text, uri=URI):
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="kdk", version=1, text=text)))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return client.diagnostics.get(uri, [])


async def test_a_clean_file_has_no_diagnostics(client):
    assert len(await open_document(client, SOURCE)) == 0


async def test_a_typo_is_a_diagnostic_with_its_code_and_a_quick_fix(client):
    diagnostics = await open_document(client, SOURCE + "let t = totl + 1\n")
    assert len(diagnostics) == 1
    d = diagnostics[0]
    assert d.severity == types.DiagnosticSeverity.Error
    assert d.code == "E0101"
    assert d.message == "'totl' is not defined\nhelp: did you mean 'total'?"
    assert "did you mean 'total'" in d.message
    assert (d.range.start.line, d.range.start.character, d.range.end.character) == (13, 8, 12)
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=URI), range=d.range,
        context=types.CodeActionContext(diagnostics=[d])))
    assert [a.title for a in actions] == ["Change to 'total'"]
    edit = actions[0].edit.changes[URI][0]
    assert edit.new_text == "total" and edit.range == d.range


async def test_a_change_updates_the_diagnostics(client):
    await open_document(client, SOURCE)
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=URI, version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=SOURCE + "let bad = 1 KDK + 2 USD\n")]))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    messages = [d.message for d in client.diagnostics[URI]]
    assert len(messages) == 1 and "KDK" in messages[0] and "USD" in messages[0]


async def test_hover_shows_a_library_functions_doc_and_a_fields_value(client):
    await open_document(client, SOURCE)
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=URI), position=types.Position(line=6, character=39)))  # hashtags
    # docs/library.md's entry (the checkout's docs, found next to .build/debug/kdk).
    assert hover.contents.value.startswith("**`hashtags(s)`**\n\nThe `#tags` in a text:")
    assert "```kdk" in hover.contents.value
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=URI), position=types.Position(line=4, character=3)))  # pool
    assert hover.contents.value == "field of `Seed` (campaign): `pool = 1_400 KDK`"
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=URI), position=types.Position(line=11, character=6)))  # total
    assert hover.contents.value.startswith("```kdk\nlet total = double(Seed.pool)\n```")
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=URI), position=types.Position(line=12, character=5)))  # fee
    assert hover.contents.value == "```kdk\nlet fee = 5 USD\n```\n\nquantity in USD"


async def test_completion_offers_names_fields_and_named_arguments(client):
    await open_document(client, SOURCE + "let x = Seed.\nlet y = tier(\n")
    items = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=URI), position=types.Position(line=13, character=13)))
    labels = [i.label for i in items]
    assert labels[:4] == ["pool", "tiers", "rules", "score"]
    items = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=URI), position=types.Position(line=14, character=13)))
    labels = [i.label for i in items]
    assert "ranks:" in labels and "prize:" in labels
    assert "double" in labels and "topics" in labels and "Seed" in labels and "sum" in labels and "let" in labels


async def test_completion_after_a_dot_offers_the_fields_the_checker_knows(client):
    text = 'let posts = [{id: 1, likes: 2, author: "li"}]\nlet n = posts.filter(p => p.li\n'
    await open_document(client, text)
    items = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=URI), position=types.Position(line=1, character=29)))
    labels = [i.label for i in items]
    assert labels[:3] == ["id", "likes", "author"]


async def test_definition_of_an_import_is_the_imported_file(client):
    await open_document(client, 'import "helpers.kdk" as helpers\nhelpers.x\n')
    result = await client.text_document_definition_async(types.DefinitionParams(
        text_document=types.TextDocumentIdentifier(uri=URI), position=types.Position(line=1, character=3)))
    assert result.uri == (ROOT / "Tests" / "lsp" / "helpers.kdk").as_uri()


async def test_definition_goes_to_lets_fns_models_and_fields(client):
    await open_document(client, SOURCE)
    async def definition(line, character):
        result = await client.text_document_definition_async(types.DefinitionParams(
            text_document=types.TextDocumentIdentifier(uri=URI), position=types.Position(line=line, character=character)))
        return (result.range.start.line, result.range.start.character)
    assert await definition(11, 15) == (10, 3)   # double -> fn double
    assert await definition(11, 23) == (3, 9)    # Seed -> campaign Seed
    assert await definition(11, 28) == (4, 2)    # pool -> the field
    assert await definition(6, 80) == (1, 4)     # topics -> let topics


async def test_document_symbols_list_models_and_their_fields(client):
    await open_document(client, SOURCE)
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(
        text_document=types.TextDocumentIdentifier(uri=URI)))
    assert [(s.name, s.kind) for s in symbols] == [("KDK", types.SymbolKind.Constant), ("topics", types.SymbolKind.Variable),
                                                   ("Seed", types.SymbolKind.Class), ("double", types.SymbolKind.Function),
                                                   ("total", types.SymbolKind.Variable), ("fee", types.SymbolKind.Variable)]
    assert [c.name for c in symbols[2].children] == ["pool", "tiers", "rules", "score"]
    assert symbols[2].detail == "campaign"


async def test_formatting_is_kdk_fmt(client):
    await open_document(client, "let x=1+2\nlet y = [ 1,2 ]\n")
    edits = await client.text_document_formatting_async(types.DocumentFormattingParams(
        text_document=types.TextDocumentIdentifier(uri=URI), options=types.FormattingOptions(tab_size=2, insert_spaces=True)))
    assert len(edits) == 1 and edits[0].new_text == "let x = 1 + 2\nlet y = [1, 2]\n"


async def test_a_2000_line_file_stays_responsive(client):
    lines = ["unit KDK decimals 8"] + [f"let v{i} = {i} KDK + 1 KDK" for i in range(2000)]
    text = "\n".join(lines) + "\n"
    await open_document(client, text)
    times = []
    for version in range(2, 7):
        started = time.monotonic()
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=URI, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text + f"let w = v{version} + 1 KDK\n")]))
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        times.append(time.monotonic() - started)
    print(f"2,001-line file: {sorted(times)[len(times) // 2] * 1000:.0f} ms per change (median of {len(times)}, debug build)")
    assert len(client.diagnostics[URI]) == 0


def test_a_malformed_frame_is_an_error_reply_not_a_crash():
    import subprocess
    body = b'{"jsonrpc":"2.0","id":1,"method":"shutdown","params":null}'
    data = b"Content-Length: -5\r\n\r\n" + b"Content-Length: %d\r\n\r\n" % len(body) + body
    r = subprocess.run([str(KDK), "lsp"], input=data, capture_output=True, timeout=30)
    assert r.returncode == 0
    assert b'"code":-32700' in r.stdout and b'"id":1' in r.stdout


async def test_completion_after_a_bare_dot_offers_the_fields(client):
    # Nothing typed after the dot, inside brackets left open: the engine reads the line as a field being typed.
    for last, character in [("let n = posts.filter(p => p.", 28), ("let m = posts[0].", 17)]:
        await open_document(client, 'let posts = [{id: 1, likes: 2, author: "li"}]\n' + last + "\n")
        line = 1
        items = await client.text_document_completion_async(types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=URI), position=types.Position(line=line, character=character)))
        labels = [i.label for i in items]
        assert labels[:3] == ["id", "likes", "author"], (line, labels[:5])


async def test_a_quick_fix_for_a_misspelt_field_and_argument(client):
    diagnostics = await open_document(client, 'let r = {likes: 2}\nlet a = r.likez\nlet b = round(1.5, place: 0)\n')
    assert len(diagnostics) == 2
    for d, fix in zip(diagnostics, ["likes", "places"]):
        actions = await client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=URI), range=d.range,
            context=types.CodeActionContext(diagnostics=[d])))
        assert [a.title for a in actions] == [f"Change to '{fix}'"], d.message
