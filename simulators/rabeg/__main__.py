"""`python -m simulators.rabeg`: the rabeg simulator, a test and demo server."""
from simulators.rabeg.server import main

main()
