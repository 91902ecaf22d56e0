"""Command-line interface (being written)."""


def main() -> int:
    return 0
