"""Generated districts: the believable one `sheets-sync demo` writes; any size for benchmarks."""

from sheets_sync.demo.district import DEMO_DISTRICT, DEMO_DOMAIN, demo_district, synthetic_district

__all__ = ["DEMO_DISTRICT", "DEMO_DOMAIN", "demo_district", "synthetic_district"]
