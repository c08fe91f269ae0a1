import hashlib, hmac, time

def verify(secret: str, headers: dict, body: bytes, tolerance: int = 300) -> bool:
    """True when a Tandem delivery is signed with `secret` and is at most `tolerance` seconds old."""
    timestamp = headers["X-Tandem-Timestamp"]
    if abs(time.time() - int(timestamp)) > tolerance:
        return False  # too old (or from the future): a replay
    expected = "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    # During the 24 hours after a rotation the header holds two signatures, comma-separated.
    return any(hmac.compare_digest(expected, given.strip()) for given in headers["X-Tandem-Signature"].split(","))
