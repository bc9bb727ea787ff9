"""Quarry's kernel against real Jupyter: jupyter_client starts it from its kernelspec and
jupyter_kernel_test checks every reply against the message schemas.

Run by test/notebooks/kernel.test.ts, which installs the kernelspec (JUPYTER_PATH) and a
workspace with a Logons table (QUARRY_WORKSPACE)."""

import hashlib
import hmac
import json
import time
import unittest
import uuid

import jupyter_kernel_test
import zmq
from jupyter_client.manager import start_new_kernel
from jupyter_client.utils import run_sync

VEGA = "application/vnd.vegalite.v5+json"


class QuarryKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "quarry"
    language_name = "kusto"
    file_extension = ".kql"

    code_execute_result = [
        {"code": "print answer = 6 * 7", "mime": "application/json"},
        {"code": "Logons | count", "mime": "text/html"},
        {"code": "Logons | where Account == 'bob' | project Account", "mime": "text/plain"},
    ]
    code_display_data = [
        {"code": "Logons | summarize n = count() by Account | render columnchart", "mime": VEGA},
        {"code": "Logons | summarize n = count() by bin(TimeGenerated, 1h) | render timechart", "mime": "image/svg+xml"},
    ]
    code_generate_error = "Logons | where NoSuchColumn > 1"
    completion_samples = [
        {"text": "Logons | where Acc", "matches": {"Account"}},
        {"text": "Logo", "matches": {"Logons"}},
        {"text": "%tim", "matches": {"%timeout"}},
    ]
    complete_code_samples = ["Logons | count", "let x = 1;", "print 'a|b'", "", "%limit 10\nLogons"]
    incomplete_code_samples = ["Logons |", "Logons | where Account in ('a',", "print 'abc", "Logons\n| where EventID =="]
    invalid_code_samples = ["Logons | where | | )", "%nosuchmagic 1\nLogons"]
    code_inspect_sample = "print strlen('abc')"
    supported_history_operations = ("tail", "range", "search")
    code_history_pattern = "print answer*"

    def run_cell(self, code, timeout=30):
        self.flush_channels()
        reply, outputs = self.execute_helper(code, timeout=timeout)
        return reply["content"], outputs

    def test_quarry_execute_result_values(self):
        reply, outputs = self.run_cell("print answer = 6 * 7")
        self.assertEqual(reply["status"], "ok")
        result = [m for m in outputs if m["msg_type"] == "execute_result"][0]["content"]
        self.assertEqual(result["execution_count"], reply["execution_count"])
        data = result["data"]["application/json"]
        self.assertEqual(data["columns"], [{"name": "answer", "type": "long"}])
        self.assertEqual(data["rows"], [[42]])

    def test_quarry_error_has_position(self):
        reply, outputs = self.run_cell("Logons\n| where Acount == 'x'")
        self.assertEqual(reply["status"], "error")
        self.assertIn("line 2, column 9", reply["evalue"])
        self.assertIn("Acount", reply["evalue"])
        self.assertIn("Did you mean 'Account'", reply["evalue"])
        self.assertEqual(outputs[0]["msg_type"], "error")

    def test_quarry_let_bindings_persist_and_redefine(self):
        self.assertEqual(self.run_cell("let who = 'bob';\nlet theirs = Logons | where Account == who;")[0]["status"], "ok")
        reply, outputs = self.run_cell("theirs | count")
        self.assertEqual(reply["status"], "ok")
        self.assertEqual(self.rows(outputs), [[2]])
        self.run_cell("let who = 'alice';")
        self.assertEqual(self.rows(self.run_cell("theirs | count")[1]), [[1]])

    def test_quarry_as_table(self):
        reply, outputs = self.run_cell("%as PerAccount\nLogons | summarize n = count() by Account")
        self.assertEqual(reply["status"], "ok")
        self.assertTrue(any(m["msg_type"] == "stream" and "PerAccount" in m["content"]["text"] for m in outputs))
        self.assertEqual(self.rows(self.run_cell("PerAccount | where n > 1 | project Account")[1]), [["bob"]])

    def test_quarry_limit_caps_rows_and_shows_total(self):
        self.run_cell("%limit 5")
        reply, outputs = self.run_cell("range i from 1 to 50 step 1")
        data = [m for m in outputs if m["msg_type"] == "execute_result"][0]["content"]["data"]
        self.assertEqual(len(data["application/json"]["rows"]), 5)
        self.assertEqual(data["application/json"]["totalRows"], 50)
        self.assertIn("50 rows; showing the first 5", data["text/html"])
        self.run_cell("%limit 200")

    def test_quarry_render_anomalychart(self):
        reply, outputs = self.run_cell(
            "datatable(t:datetime, v:real, flag:int)[datetime(2024-01-01), 1, 0, datetime(2024-01-02), 9, 1, datetime(2024-01-03), 1, 0]\n"
            "| render anomalychart with (anomalycolumns=flag, ycolumns=v, title='Spikes')")
        self.assertEqual(reply["status"], "ok")
        chart = [m for m in outputs if m["msg_type"] == "display_data"][0]["content"]["data"]
        self.assertEqual(chart[VEGA]["title"], "Spikes")
        self.assertTrue(chart["image/svg+xml"].startswith("<svg"))

    def test_quarry_inspect_column_and_function(self):
        for code, expected in [("Logons | where Account", "Account: string"), ("print strlen('abc')", "strlen(string): long")]:
            self.flush_channels()
            msg_id = self.kc.inspect(code)
            reply = self.get_non_kernel_info_reply(timeout=15)
            self.assertEqual(reply["parent_header"]["msg_id"], msg_id)
            self.assertTrue(reply["content"]["found"], code)
            self.assertIn(expected, reply["content"]["data"]["text/plain"])

    def test_quarry_interrupt_stops_a_long_query(self):
        self.flush_channels()
        msg_id = self.kc.execute("range i from 1 to 200000000000 step 1 | summarize s = sum(i % 7)")
        time.sleep(1.5)
        started = time.time()
        self.km.interrupt_kernel()
        reply = self.kc.get_shell_msg(timeout=20)
        self.assertEqual(reply["parent_header"]["msg_id"], msg_id)
        self.assertEqual(reply["content"]["status"], "error")
        self.assertIn("cancelled", reply["content"]["evalue"])
        self.assertLess(time.time() - started, 10)
        self.assertEqual(self.run_cell("print 1")[0]["status"], "ok")

    def test_quarry_stop_on_error_aborts_queued_cells(self):
        self.flush_channels()
        failing = self.kc.execute("%timeout 1\nrange i from 1 to 200000000000 step 1 | summarize s = sum(i % 7)")
        queued = self.kc.execute("print queued = 1")
        first = self.kc.get_shell_msg(timeout=30)
        second = self.kc.get_shell_msg(timeout=30)
        self.assertEqual(first["parent_header"]["msg_id"], failing)
        self.assertEqual(first["content"]["status"], "error")
        self.assertIn("timeout", first["content"]["evalue"])
        self.assertEqual(second["parent_header"]["msg_id"], queued)
        self.assertEqual(second["content"]["status"], "aborted")
        self.run_cell("%timeout off")
        # Requests sent after the failure run again.
        self.assertEqual(self.run_cell("print 1")[0]["status"], "ok")

    def test_quarry_rejects_badly_signed_messages(self):
        info = self.km.get_connection_info()
        ctx = zmq.Context.instance()
        sock = ctx.socket(zmq.DEALER)
        sock.linger = 0
        sock.connect(f"{info['transport']}://{info['ip']}:{info['shell_port']}")
        header = json.dumps({"msg_id": str(uuid.uuid4()), "msg_type": "execute_request", "session": "x", "username": "x", "date": "", "version": "5.3"}).encode()
        parts = [header, b"{}", b"{}", json.dumps({"code": "print 1"}).encode()]
        sock.send_multipart([b"<IDS|MSG>", b"0" * 64] + parts)  # wrong signature
        sock.send_multipart([b"<IDS|MSG>", b"garbage"])  # malformed
        good = hmac.new(info["key"], digestmod=hashlib.sha256)
        for p in parts:
            good.update(p)
        # The kernel is still there and answers properly signed requests.
        msg_id = self.kc.kernel_info()
        reply = self.kc.get_shell_msg(timeout=10)
        self.assertEqual(reply["parent_header"]["msg_id"], msg_id)
        self.assertEqual(sock.poll(500), 0, "the kernel answered a badly signed message")
        sock.close()

    def rows(self, outputs):
        results = [m for m in outputs if m["msg_type"] == "execute_result"]
        return results[0]["content"]["data"]["application/json"]["rows"]


class QuarryKernelShutdownTests(unittest.TestCase):
    def test_shutdown_exits_cleanly(self):
        km, kc = start_new_kernel(kernel_name="quarry")
        try:
            kc.shutdown()
            reply = run_sync(kc.control_channel.get_msg)(timeout=15)
            self.assertEqual(reply["content"]["status"], "ok")
            deadline = time.time() + 15
            while km.is_alive() and time.time() < deadline:
                time.sleep(0.1)
            self.assertFalse(km.is_alive(), "the kernel did not exit after shutdown_request")
        finally:
            kc.stop_channels()
            if km.is_alive():
                km.shutdown_kernel(now=True)


if __name__ == "__main__":
    unittest.main(verbosity=2)
