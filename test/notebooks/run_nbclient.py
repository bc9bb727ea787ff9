"""Executes a notebook headless with nbclient on Quarry's kernel, as CI systems and papermill do.

usage: run_nbclient.py NOTEBOOK OUTPUT  (the kernelspec must be on JUPYTER_PATH)"""

import sys

import nbclient
import nbformat

src, out = sys.argv[1], sys.argv[2]
nb = nbformat.read(src, as_version=4)
client = nbclient.NotebookClient(nb, kernel_name="quarry", timeout=180, resources={"metadata": {"path": sys.argv[3] if len(sys.argv) > 3 else "."}})
client.execute()
nbformat.validate(nb)
nbformat.write(nb, out)
print(f"executed {sum(1 for c in nb.cells if c.cell_type == 'code')} code cells")
