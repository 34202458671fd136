INSERT INTO meta.dq_results (run_id, check_name, check_kind, target, severity, status, failed_rows, detail, checked_at)
VALUES ($run_id, $check_name, $check_kind, $target, $severity, $status, $failed_rows, $detail, current_timestamp)
