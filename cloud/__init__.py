"""The ports to the outside world (Protocols) and their vendor adapters (boto3, httpx)."""
