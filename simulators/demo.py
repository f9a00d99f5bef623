"""Point both connectors at the local simulators, for `make run`.

    python -m connectors.demo --sp4n-port 8701 --rabeg-port 8702 --instance instance

adds a `CONNECTORS = {...}` block (pull every minute, the simulators' demo
credentials) to instance/config.py unless one is there, so a newcomer sees
complaints arrive from SP4N and Rabeg within a minute.  Without
--instance it prints the block.  The Rabeg simulator must be started with
`--webhook-url http://127.0.0.1:<portal port>/hooks/rabeg --webhook-secret`
the same secret (see `rabeg_simulator_args`).
"""
import argparse
import pprint
from pathlib import Path

from simulators.rabeg.server import DEFAULT_API_KEY
from simulators.sp4n.data import INSTITUTION_ID
from simulators.sp4n.server import DEFAULT_ACCESS_TOKEN, DEFAULT_INSTITUTION_TOKEN

WEBHOOK_SECRET = "demo-rabeg-webhook-secret"
MARKER = "# connectors: demo simulators (python -m connectors.demo)"

# Remote category names that do not match a demo category by name.
SP4N_CATEGORIES = {
    "Penerangan Jalan Umum": "Penerangan Jalan Umum (PJU)",
    "Perparkiran": "Parkir",
    "Persampahan": "Sampah dan kebersihan",
    "Pelayanan Puskesmas": "Layanan kesehatan",
    "Pasar Tradisional": "Pasar dan perdagangan",
}
RABEG_CATEGORIES = {
    "Penerangan Jalan Umum": "Penerangan Jalan Umum (PJU)",
    "Jalan dan Jembatan": "Jalan rusak",
    "Perparkiran": "Parkir",
    "Lalu Lintas": "Lampu lalu lintas",
    "Administrasi Kependudukan": "Kartu Keluarga dan KTP",
    "Kebersihan dan Sampah": "Sampah dan kebersihan",
    "Kesehatan": "Layanan kesehatan",
}


def demo_config(sp4n_port: int, rabeg_port: int, interval: int = 60) -> dict:
    return {
        "sp4n": {
            "base_url": f"http://127.0.0.1:{sp4n_port}/api/v3",
            "access_token": DEFAULT_ACCESS_TOKEN,
            "institution_token": DEFAULT_INSTITUTION_TOKEN,
            "institution_id": INSTITUTION_ID,
            "interval": interval,
            "timeout": 5.0,
            "category_map": SP4N_CATEGORIES,
            # The simulator's /masters/templates; an admin may pick others
            # on the connector page.
            "template_in_process": "TL01",
            "template_resolved": "TL02",
            "template_information": "TL03",
        },
        "rabeg": {
            "base_url": f"http://127.0.0.1:{rabeg_port}",
            "api_key": DEFAULT_API_KEY,
            "webhook_secret": WEBHOOK_SECRET,
            "interval": interval,
            "timeout": 5.0,
            "category_map": RABEG_CATEGORIES,
        },
    }


def rabeg_simulator_args(portal_port: int) -> list[str]:
    return ["--webhook-url", f"http://127.0.0.1:{portal_port}/hooks/rabeg",
            "--webhook-secret", WEBHOOK_SECRET]


def config_block(sp4n_port: int, rabeg_port: int) -> str:
    return f"\n{MARKER}\nCONNECTORS = {pprint.pformat(demo_config(sp4n_port, rabeg_port))}\n"


def write(instance: Path, sp4n_port: int, rabeg_port: int) -> bool:
    """Append the block to instance/config.py; False if CONNECTORS is already set there."""
    config = instance / "config.py"
    text = config.read_text() if config.exists() else ""
    if "CONNECTORS" in text:
        return False
    instance.mkdir(parents=True, exist_ok=True)
    config.write_text(text + config_block(sp4n_port, rabeg_port))
    return True


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sp4n-port", type=int, required=True)
    parser.add_argument("--rabeg-port", type=int, required=True)
    parser.add_argument("--instance", type=Path, help="write into INSTANCE/config.py")
    args = parser.parse_args(argv)
    if args.instance is None:
        print(config_block(args.sp4n_port, args.rabeg_port))
    elif write(args.instance, args.sp4n_port, args.rabeg_port):
        print(f"konektor demo ditulis ke {args.instance / 'config.py'}")
    else:
        print(f"{args.instance / 'config.py'} sudah berisi CONNECTORS; tidak diubah")


if __name__ == "__main__":
    main()
