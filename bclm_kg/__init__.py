"""bclm-kg: a knowledge graph of the evidence on surgical and local treatment of
breast cancer liver metastases (BCLM), built from one 2024 review paper."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("bclm-kg")
except PackageNotFoundError:  # imported from a source tree that was never installed
    __version__ = "0+unknown"
