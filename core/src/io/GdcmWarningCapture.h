#pragma once

#include <mutex>
#include <sstream>
#include <string>

namespace strata::io {

/// Collects GDCM's warnings during a DICOM read instead of printing them. GDCM reads a truncated file
/// with only a warning ("Incomplete Pixel Data"): this is how Strata notices and refuses it.
/// GDCM's streams are global, so captures are serialised.
class GdcmWarningCapture {
public:
    GdcmWarningCapture();
    ~GdcmWarningCapture();
    GdcmWarningCapture(const GdcmWarningCapture&) = delete;
    GdcmWarningCapture& operator=(const GdcmWarningCapture&) = delete;

    std::string text() const { return stream_.str(); }
    bool sawIncompletePixelData() const;
    /// Switches GDCM warnings back on (ITK's series scanner turns them off while it runs).
    void rearm();

private:
    std::unique_lock<std::mutex> lock_;
    std::ostringstream stream_;
    bool wasWarning_{true};
};

} // namespace strata::io
