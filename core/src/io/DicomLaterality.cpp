#include "strata/DicomLaterality.h"

#include "io/DicomMetaCheck.h"
#include "io/DicomSeriesReader.h"
#include "io/GdcmWarningCapture.h"
#include "strata/ImageIO.h"

#include <itkGDCMImageIO.h>
#include <itkMetaDataObject.h>

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
        io::GdcmWarningCapture warnings;
        auto io = itk::GDCMImageIO::New();
        if (!io->CanReadFile(file.string().c_str())) return "";
        io->SetFileName(file.string());
        io->ReadImageInformation();
        const auto& dict = io->GetMetaDataDictionary();
        for (const char* tag : {"0020|0060", "0020|0062"}) {
            std::string value;
            if (itk::ExposeMetaData<std::string>(dict, tag, value)) {
                const std::string side = sideOf(value);
                if (!side.empty()) return side;
            }
        }
    } catch (...) {
        // Not DICOM, unreadable: no laterality. The image reader reports real read errors.
    }
    return "";
}

} // namespace strata
