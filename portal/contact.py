"""What a contact address is: one email pattern and one phone pattern for
the citizen form, staff accounts and notifications alike."""
import re

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{6,19}$")
