#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace strata::cohort {

/// One scan of a cohort: a subject at a timepoint, its image and (optionally) a segmentation to measure instead
/// of the network's.
struct CohortCase {
    std::string subject;
    std::string timepoint;
    std::filesystem::path image;
    std::filesystem::path labels; ///< empty: the pipeline segments the image itself
    std::size_t line{0};          ///< line in the manifest (1 = header), 0 for a scan found in a folder

    /// Where its result bundle goes under the cohort's output folder: <out>/<subject>/<timepoint>.
    [[nodiscard]] std::filesystem::path bundleDir(const std::filesystem::path& outDir) const
    {
        return outDir / subject / timepoint;
    }
};

/// A cohort as a list of cases, read from a CSV manifest or a folder of scans.
class CohortManifest {
public:
    /// A CSV file with a header naming the columns subject, timepoint, image and optionally labels (any order,
    /// RFC 4180 quoting, relative paths taken from the manifest's folder); or a folder: every scan in it (NIfTI,
    /// NRRD, MHA, a DICOM series folder) is a case, subject = its name without extension, timepoint "1".
    /// Throws InvalidArgument naming the line for a missing column, an empty or unsafe subject/timepoint (they
    /// become folder names: letters, digits, '.', '_' and '-') or a subject/timepoint given twice.
    [[nodiscard]] static std::vector<CohortCase> read(const std::filesystem::path& manifestOrFolder);

    /// Whether a subject or timepoint can name a folder: 1-128 letters, digits, '.', '_' or '-', not "." or "..".
    [[nodiscard]] static bool isSafeName(const std::string& s);

    /// The fields of one CSV line (quotes removed, "" inside quotes is one quote).
    [[nodiscard]] static std::vector<std::string> splitCsvLine(const std::string& line);
};

} // namespace strata::cohort
