"""Census readers: any supported file -> one normalised `Census` (see indicators.census)."""

from indicators.read.mapping import load_mapping_file, parse_map_options
from indicators.read.reader import read_census

__all__ = ["load_mapping_file", "parse_map_options", "read_census"]
