"""Installs the kdk kernel from the binary under test (KDK, default
.build/debug/kdk) into a temporary prefix, and points Jupyter at it."""
import os, subprocess, tempfile

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KDK = os.environ.get("KDK", os.path.join(root, ".build", "debug", "kdk"))
prefix = tempfile.mkdtemp(prefix="kdk-jupyter-")
subprocess.run([KDK, "jupyter", "install", "--prefix", prefix], check=True, stdout=subprocess.DEVNULL)
os.environ["JUPYTER_PATH"] = os.path.join(prefix, "share", "jupyter")
