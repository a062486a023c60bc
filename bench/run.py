"""`make bench`: the practices search benchmark (100,000 practices on SQLite and PostgreSQL).

Pass -n to change the size, --db sqlite or --db postgresql to run one database only.
"""

import os
import runpy
import sys

if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    runpy.run_path(os.path.join(os.path.dirname(os.path.abspath(__file__)), "search.py"), run_name="__main__")
