"""fake_op.py — a small OpenID provider for the refusal tests
(tests/http/oidc.py): discovery, authorize, token (PKCE checked), userinfo
and JWKS over HTTPS, and ID tokens signed however the test asks (another
audience, expired, alg none, HS256 with the public key, an unknown kid...),
which a real provider never does. The happy path and key rotation also run
against the real oidc-provider (tests/oidc/provider.mjs)."""
import base64
import hashlib
import http.server
import json
import os
import ssl
import threading
import time
import urllib.parse

from cryptography.hazmat.primitives import hashes, hmac, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature


def b64(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def uint(n, size=None):
    size = size or (n.bit_length() + 7) // 8
    return b64(n.to_bytes(size, "big"))


class Key:
    def __init__(self, kid, kind="RSA"):
        self.kid, self.kind = kid, kind
        if kind == "RSA":
            self.priv = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        else:
            self.priv = ec.generate_private_key(ec.SECP256R1())

    def jwk(self):
        pub = self.priv.public_key().public_numbers()
        if self.kind == "RSA":
            return {"kty": "RSA", "kid": self.kid, "use": "sig", "n": uint(pub.n), "e": uint(pub.e)}
        return {"kty": "EC", "kid": self.kid, "use": "sig", "crv": "P-256",
                "x": uint(pub.x, 32), "y": uint(pub.y, 32)}

    def public_pem(self):
        return self.priv.public_key().public_bytes(serialization.Encoding.PEM,
                                                   serialization.PublicFormat.SubjectPublicKeyInfo)


def sign(header, claims, key, alg):
    h = b64(json.dumps(header).encode())
    p = b64(json.dumps(claims).encode())
    data = (h + "." + p).encode()
    if alg == "none":
        return h + "." + p + "."
    if alg == "HS256":  # the confusion attack: the public key as an HMAC secret
        m = hmac.HMAC(key.public_pem(), hashes.SHA256())
        m.update(data)
        sig = m.finalize()
    elif alg == "RS256":
        sig = key.priv.sign(data, padding.PKCS1v15(), hashes.SHA256())
    elif alg == "PS256":
        sig = key.priv.sign(data, padding.PSS(mgf=padding.MGF1(hashes.SHA256()),
                                              salt_length=32), hashes.SHA256())
    elif alg == "ES256":
        r, s = decode_dss_signature(key.priv.sign(data, ec.ECDSA(hashes.SHA256())))
        sig = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    else:
        raise ValueError(alg)
    return h + "." + p + "." + b64(sig)


class FakeOP:
    """The provider. mode (a dict the test sets before each sign-in) says
    how the next ID token is made: claims to change or drop, alg, key,
    kid, tamper, token_delay."""

    def __init__(self, certfile, keyfile, client_id, client_secret):
        self.client_id, self.client_secret = client_id, client_secret
        self.keys = [Key("rsa-1"), Key("ec-1", "EC")]
        self.outside = Key("not-published")  # signs, but is never in the JWKS
        self.mode = {}
        self.codes = {}
        self.jwks_fetches = 0
        self.user = {"sub": "alice-sub", "email": "alice@example.org", "email_verified": True,
                     "name": "Alice Example", "preferred_username": "alice",
                     "groups": ["it-strategy-editors", "staff"]}
        op = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def answer(self, status, body, ctype="application/json", headers=()):
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                for k, v in headers:
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                u = urllib.parse.urlparse(self.path)
                q = dict(urllib.parse.parse_qsl(u.query))
                if u.path == "/.well-known/openid-configuration":
                    i = op.issuer
                    return self.answer(200, {"issuer": op.mode.get("disc_issuer", i),
                                             "authorization_endpoint": i + "/authorize",
                                             "token_endpoint": i + "/token",
                                             "userinfo_endpoint": i + "/userinfo",
                                             "end_session_endpoint": i + "/logout",
                                             "jwks_uri": i + "/jwks"})
                if u.path == "/jwks":
                    op.jwks_fetches += 1
                    return self.answer(200, {"keys": [k.jwk() for k in op.keys]})
                if u.path == "/authorize":
                    code = b64(os.urandom(16))
                    op.codes[code] = q
                    to = q["redirect_uri"] + "?" + urllib.parse.urlencode(
                        {"code": code, "state": q["state"]})
                    return self.answer(302, b"", "text/plain", [("Location", to)])
                if u.path == "/userinfo":
                    auth = self.headers.get("Authorization", "")
                    if not auth.startswith("Bearer at-"):
                        return self.answer(401, {"error": "invalid_token"})
                    info = dict(op.user)
                    info.update(op.mode.get("userinfo", {}))
                    return self.answer(200, info)
                return self.answer(404, {"error": "not_found"})

            def do_POST(self):
                n = int(self.headers.get("Content-Length", "0"))
                form = dict(urllib.parse.parse_qsl(self.rfile.read(n).decode()))
                if self.path != "/token":
                    return self.answer(404, {"error": "not_found"})
                time.sleep(op.mode.get("token_delay", 0))
                auth = self.headers.get("Authorization", "")
                want = "Basic " + base64.b64encode(
                    ("%s:%s" % (op.client_id, op.client_secret)).encode()).decode()
                if auth != want:
                    return self.answer(401, {"error": "invalid_client"})
                q = op.codes.pop(form.get("code", ""), None)
                if not q or form.get("redirect_uri") != q["redirect_uri"]:
                    return self.answer(400, {"error": "invalid_grant"})
                challenge = b64(hashlib.sha256(form.get("code_verifier", "").encode()).digest())
                if q.get("code_challenge_method") != "S256" or challenge != q["code_challenge"]:
                    return self.answer(400, {"error": "invalid_grant", "error_description": "PKCE"})
                return self.answer(200, {"access_token": "at-" + b64(os.urandom(8)),
                                         "token_type": "Bearer", "expires_in": 60,
                                         "id_token": op.id_token(q)})

        class Server(http.server.ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # a client that hung up (the time-out test) is no failure here

        self.httpd = Server(("127.0.0.1", 0), Handler)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(certfile, keyfile)
        self.httpd.socket = ctx.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self.issuer = "https://127.0.0.1:%d" % self.port
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def id_token(self, q):
        m = self.mode
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": self.client_id, "sub": self.user["sub"],
                  "exp": now + 300, "iat": now, "nonce": q.get("nonce"),
                  "email": self.user["email"], "email_verified": self.user["email_verified"],
                  "groups": self.user["groups"], "amr": ["pwd", "mfa"]}
        claims.update(m.get("claims", {}))
        for k in m.get("drop", []):
            claims.pop(k, None)
        alg = m.get("alg", "RS256")
        key = m.get("key") or (self.keys[1] if alg == "ES256" else self.keys[0])
        header = {"alg": alg, "typ": "JWT", "kid": m.get("kid", key.kid)}
        t = sign(header, claims, key, alg)
        if m.get("tamper"):  # a claim changed after signing: the signature no longer fits
            h, p, s = t.split(".")
            claims["groups"] = ["it-admins"]
            t = h + "." + b64(json.dumps(claims).encode()) + "." + s
        return t

    def stop(self):
        self.httpd.shutdown()
