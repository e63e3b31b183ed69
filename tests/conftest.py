import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

# The suite expects the default language (zh): INDICATORS_LANG=en in a developer's shell would
# otherwise switch every --lang default and help text. Popped before indicators.cli is imported.
os.environ.pop("INDICATORS_LANG", None)
