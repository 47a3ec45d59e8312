"""Content security policy violations seen by a browser page (Playwright).

:func:`watch` records every ``securitypolicyviolation`` event (through an init script, which the
policy does not apply to) and every console message about the policy; :func:`violations` lists
them. The browser tests assert the list is empty on every page they open.
"""

from __future__ import annotations

LISTENER = """
document.addEventListener('securitypolicyviolation', (e) => {
  (window.__cspViolations = window.__cspViolations || []).push(
    `${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`
    + ` at ${e.sourceFile}:${e.lineNumber}`);
});
"""


def watch(context) -> None:
    """Record violations on every page of a browser ``context`` (call before opening pages)."""
    context.add_init_script(LISTENER)
    context.on("page", watch_console)


def watch_console(page) -> None:
    messages: list[str] = []
    page.on("console", lambda m: "Content Security Policy" in m.text and messages.append(m.text))
    page.csp_console = messages


def violations(page) -> list[str]:
    """The violations of the page's current document and the console's since it opened."""
    events = page.evaluate("window.__cspViolations || []")
    return [*events, *getattr(page, "csp_console", [])]


def enforced(response) -> bool:
    """Whether a page's response carries the service's policy (no inline script allowed)."""
    policy = response.headers.get("content-security-policy", "")
    return "script-src 'self'" in policy and "unsafe-inline" not in policy
