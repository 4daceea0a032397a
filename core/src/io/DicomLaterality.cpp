#include "strata/DicomLaterality.h"

#include "io/DicomFileHeader.h"
#include "io/DicomMetaCheck.h"
#include "io/DicomSeriesReader.h"
#include "strata/ImageIO.h"

#include <gdcmStringFilter.h>

#include <cctype>

namespace strata {

namespace {

std::string sideOf(std::string value)
{
    std::string s;
    for (char ch : value) {
        if (!std::isspace(static_cast<unsigned char>(ch))) s += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    }
    return s == "L" ? "left" : s == "R" ? "right" : "";
}

} // namespace

std::string readDicomLaterality(const std::filesystem::path& input)
{
    try {
        std::error_code ec;
        std::filesystem::path file = input;
        if (std::filesystem::is_directory(input, ec)) {
            const auto series = io::findDicomSeries(input);
            if (series.empty() || series.front().files.empty()) return "";
            file = series.front().files.front();
        } else if (formatFromPath(input) != ImageFormat::DicomSeries && formatFromPath(input) != ImageFormat::Unknown) {
            return "";
        }
        if (!io::dicomMetaProblem(file, true).empty()) return "";
        // The header alone (up to the pixel data): ITK's GDCMImageIO would decode compressed pixel data to read it
        io::DicomFileHeader header;
        if (!header.read(file.string())) return ""; // not DICOM (read() checks), or no image
        gdcm::StringFilter sf;
        sf.SetFile(header.file());
        for (const gdcm::Tag& tag : {gdcm::Tag(0x0020, 0x0060), gdcm::Tag(0x0020, 0x0062)}) {
            const std::string side = sideOf(sf.ToString(tag));
            if (!side.empty()) return side;
        }
    } catch (...) {
        // Not DICOM, unreadable: no laterality. The image reader reports real read errors.
    }
    return "";
}

} // namespace strata
