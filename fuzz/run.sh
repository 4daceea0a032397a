#!/usr/bin/env bash
# Builds the libFuzzer targets (preset "fuzz", build-fuzz/) and runs each for SECONDS (default 60), nice'd.
#   fuzz/run.sh [SECONDS] [TARGET...]      e.g. fuzz/run.sh 30 head_scanner mesh_io
# Seeds: fuzz/corpus/<target>/ (read only); what the fuzzer learns goes to build-fuzz/corpus/<target>/, kept
# between runs. A crash, leak, timeout or out-of-memory input is saved as build-fuzz/artifacts/<target>/crash-*
# (oom-*, timeout-*, leak-*); reproduce it with  build-fuzz/fuzz/fuzz_<target> build-fuzz/artifacts/<target>/<file>.
# Prints one line per target and exits 1 if any target found something.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
declare -A maxlen=([head_scanner]=4096 [json_limits]=4096 [http_body]=4096 [cohort_manifest]=2048
                   [data_file_refs]=2048 [model_card]=8192 [given_labels]=1024 [mesh_io]=1024 [idx_file]=512
                   [pipeline_params]=4096 [image_headers]=2048 [dicom_header]=4096
                   [dicom_decode]=8192 [dicom_seg]=65536 [pdf_pages]=8192 [video_frames]=16384
                   [media_stream]=16384)
# Per-target libFuzzer flags and ASAN_OPTIONS. (dicom_decode ran without leak checks while this process decoded:
# GDCM's codecs leak on their error paths. Only the child process decodes now, and it ends with _exit.)
# dicom_seg: more memory, for the leaks below (checks off: they would stop the run at the first damaged SEG).
declare -A extra=([dicom_seg]=-rss_limit_mb=12288)
# dicom_seg: DCMTK 3.6.7's dcmseg loses ~170 KB on some damaged SEGs (an unreachable cycle of its IOD components:
# LeakSanitizer reports only indirect leaks, every one allocated inside libdcmseg / libdcmiod / libdcmdata).
declare -A asan=([dicom_seg]=detect_leaks=0)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(head_scanner json_limits http_body cohort_manifest data_file_refs model_card
                                     given_labels mesh_io idx_file pipeline_params image_headers dicom_header
                                     dicom_decode dicom_seg pdf_pages video_frames media_stream)
# video_frames decodes in the helper strata-media-decode (build-fuzz/fuzz/, with ASan): the heap over-read inside
# OpenCV 4.6's FFmpeg backend it used to find in the harness now ends the helper only. A helper that stalls is
# stopped after 5 s, inside libFuzzer's -timeout of 10.
export STRATA_MEDIA_DECODE_TIMEOUT=5

if [ ! -f build-fuzz/build.ninja ]; then
    cmake --preset fuzz >/dev/null || exit 2
fi
nice -n 10 cmake --build build-fuzz --target fuzzers -j2 >/dev/null || { echo "build failed: cmake --build build-fuzz --target fuzzers"; exit 2; }

found=0
printf '%-16s %8s %10s %9s %6s %6s %s\n' target seconds execs exec/s cov ft result
for t in "${targets[@]}"; do
    bin=build-fuzz/fuzz/fuzz_$t
    [ -x "$bin" ] || { echo "$t: no such target"; found=1; continue; }
    corpus=build-fuzz/corpus/$t artifacts=build-fuzz/artifacts/$t log=build-fuzz/logs/$t.log
    mkdir -p "$corpus" "$artifacts" build-fuzz/logs
    before=$(ls "$artifacts" | wc -l)
    LSAN_OPTIONS=suppressions=$PWD/fuzz/lsan.supp ASAN_OPTIONS=${asan[$t]:-${ASAN_OPTIONS:-}} nice -n "${FUZZ_NICE:-10}" "$bin" "$corpus" "fuzz/corpus/$t" -max_total_time="$seconds" -max_len="${maxlen[$t]:-4096}" \
        -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 -print_final_stats=1 ${extra[$t]:-} \
        -artifact_prefix="$artifacts/" >"$log" 2>&1
    rc=$?
    execs=$(grep -ao 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')
    speed=$(grep -ao 'stat::average_exec_per_sec: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')
    cov=$(grep -ao 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
    ft=$(grep -ao 'ft: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
    after=$(ls "$artifacts" | wc -l)
    if [ "$rc" -eq 0 ] && [ "$after" -eq "$before" ]; then
        result=ok
    else
        found=1
        newest=$(ls -t "$artifacts" | head -1)
        why=$(grep -a -m1 -oE 'FUZZ_CHECK failed.*|runtime error: .*|what\(\): .*|ERROR: (AddressSanitizer|libFuzzer): .*' "$log" | head -1 | cut -c1-110)
        result="FOUND ($why) -> $artifacts/$newest, log $log"
    fi
    printf '%-16s %8s %10s %9s %6s %6s %s\n' "$t" "$seconds" "${execs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}" "$result"
done
exit $found
