"""`python -m simulators.sp4n`: the sp4n simulator, a test and demo server."""
from simulators.sp4n.server import main

main()
