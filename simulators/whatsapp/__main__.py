"""`python -m simulators.whatsapp`: the WhatsApp Cloud API simulator."""
from simulators.whatsapp.server import main

main()
