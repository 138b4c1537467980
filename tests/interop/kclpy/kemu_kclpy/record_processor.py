#!/usr/bin/env python3
"""The MultiLangDaemon's executable: a kclpy v3 record processor that appends every record it is handed to the
file named by KEMU_KCLPY_OUT (one JSON line each, written with O_APPEND so the per-shard processes never
interleave), and checkpoints after every batch, at shard end and when asked to shut down."""
import json
import os
import sys

from amazon_kclpy import kcl
from amazon_kclpy.v3 import processor


class RecordProcessor(processor.RecordProcessorBase):
    def __init__(self):
        self.shard = None
        self.out = os.open(os.environ['KEMU_KCLPY_OUT'], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def initialize(self, initialize_input):
        self.shard = initialize_input.shard_id

    def process_records(self, process_records_input):
        lines = []
        for r in process_records_input.records:
            lines.append(json.dumps({'shard': self.shard, 'pk': r.partition_key,
                                     'data': r.binary_data.decode('utf-8'), 'seq': r.sequence_number}) + '\n')
        if lines:
            os.write(self.out, ''.join(lines).encode('utf-8'))
        process_records_input.checkpointer.checkpoint()

    def lease_lost(self, lease_lost_input):
        pass

    def shard_ended(self, shard_ended_input):
        shard_ended_input.checkpointer.checkpoint()

    def shutdown_requested(self, shutdown_requested_input):
        shutdown_requested_input.checkpointer.checkpoint()


if __name__ == '__main__':
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    kcl.KCLProcess(RecordProcessor()).run()
