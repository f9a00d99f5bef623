"""A local stand-in for the WhatsApp Business Cloud API (Graph API) endpoints
Aduan uses: sending template messages and the status webhooks."""
