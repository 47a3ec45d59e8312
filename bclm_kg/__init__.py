"""bclm-kg: a knowledge graph of the evidence on surgical and local treatment of
breast cancer liver metastases (BCLM), built from one 2024 review paper."""

__version__ = "1.0.0"
