"""Best-effort notification of the gateway that provisioning jobs are waiting.

The provisioner also sweeps queued jobs, so a lost notification only costs latency: every
failure here is logged and swallowed.
"""
import json
import logging
import urllib.error
import urllib.request

_logger = logging.getLogger(__name__)

NOTIFY_PATH = '/v1/jobs/notify'
DEFAULT_TIMEOUT = 2.0


def notify_jobs(base_url, token, job_ids, timeout=DEFAULT_TIMEOUT):
    """POST the job ids to the gateway; return True when it accepted them."""
    if not base_url or not job_ids:
        return False
    url = base_url.rstrip('/') + NOTIFY_PATH
    body = json.dumps({'job_ids': sorted(job_ids)}).encode()
    request = urllib.request.Request(url, data=body, method='POST', headers={
        'Content-Type': 'application/json',
        'Authorization': f'Bearer {token or ""}',
    })
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            if 200 <= response.status < 300:
                return True
            _logger.warning("Gateway refused job notification for %s: HTTP %s", url, response.status)
    except urllib.error.HTTPError as error:
        _logger.warning("Gateway refused job notification for %s: HTTP %s", url, error.code)
    except (OSError, ValueError) as error:
        # OSError covers refused connections, DNS failures and timeouts.
        _logger.warning("Could not notify the gateway at %s of jobs %s: %s", url, sorted(job_ids), error)
    return False
