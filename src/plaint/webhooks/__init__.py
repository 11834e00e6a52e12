"""Outgoing webhooks: other systems told of what happens to cases — a complaint received, a step
done, a case closed, a promise breached, a survey answered — by a signed HTTPS POST, delivered
from an outbox with retries. Serves ISO 10002 8.2-8.4 and ISO 10001 7.5 where the organisation's
own tools (helpdesk, CRM, data warehouse) track cases and promises alongside Plaint."""
