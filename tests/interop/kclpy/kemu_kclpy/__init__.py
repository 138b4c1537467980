"""amazon-kclpy against kinesis-emulator: a record processor and the scenario driver (run_kclpy.py)."""
