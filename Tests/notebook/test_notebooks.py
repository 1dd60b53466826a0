"""The example notebooks run headless (nbclient) with the kdk kernel and give
the outputs stored in them, text for text."""
import os

import nbformat
import pytest
from nbclient import NotebookClient

examples = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "examples")


def texts(nb):
    """Each code cell's outputs as (type, text) pairs: stream text, text/plain, error lines."""
    out = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for o in cell.outputs:
            if o.output_type == "stream":
                out.append(("stream", o.text))
            elif o.output_type in ("execute_result", "display_data"):
                out.append((o.output_type, o.data["text/plain"], sorted(o.data.keys())))
            else:
                out.append(("error", o.evalue))
    return out


@pytest.mark.parametrize("name", ["campaign.ipynb", "ai_capex.ipynb"])
def test_notebook_gives_its_stored_outputs(name):
    stored = nbformat.read(os.path.join(examples, name), as_version=4)
    fresh = nbformat.read(os.path.join(examples, name), as_version=4)
    for cell in fresh.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    NotebookClient(fresh, timeout=120, kernel_name="kdk", resources={"metadata": {"path": examples}}).execute()
    assert texts(fresh) == texts(stored)
    assert len(texts(stored)) >= 4
