#include "io/GdcmWarningCapture.h"

#include <gdcmTrace.h>

#include <iostream>

namespace strata::io {

namespace {
std::mutex gdcmMutex;
}

GdcmWarningCapture::GdcmWarningCapture() : lock_(gdcmMutex)
{
    // ITK's series helpers switch GDCM warnings off globally; they are needed here.
    wasWarning_ = gdcm::Trace::GetWarningFlag();
    gdcm::Trace::WarningOn();
    gdcm::Trace::SetWarningStream(stream_);
    gdcm::Trace::SetErrorStream(stream_);
}

GdcmWarningCapture::~GdcmWarningCapture()
{
    gdcm::Trace::SetWarningStream(std::cerr);
    gdcm::Trace::SetErrorStream(std::cerr);
    gdcm::Trace::SetWarning(wasWarning_);
}

void GdcmWarningCapture::rearm()
{
    gdcm::Trace::WarningOn();
}

bool GdcmWarningCapture::sawIncompletePixelData() const
{
    return stream_.str().find("Incomplete Pixel Data") != std::string::npos;
}

} // namespace strata::io
