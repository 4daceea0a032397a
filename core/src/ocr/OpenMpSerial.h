#pragma once

namespace strata::ocr {

/// Makes OpenMP parallel regions started from the calling thread run on that thread alone (Tesseract's LSTM
/// asks for 4 OpenMP threads per engine; Strata runs one engine per core instead). Same effect as
/// OMP_THREAD_LIMIT=1 for this thread only (libgomp keeps max-active-levels per thread: other threads, LibTorch's
/// included, keep their parallelism), which cannot be set once libgomp is loaded. No-op without libgomp.
void makeOpenMpSerialOnThisThread();

} // namespace strata::ocr
