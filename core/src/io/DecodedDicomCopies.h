#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace strata::io {

/// What a DICOM reader reads instead of a file or folder from outside that holds compressed pixel data: the
/// compressed files decoded in a child process into uncompressed copies (DicomChildDecode.h), so that the reading
/// process never runs a codec on them. Files and folders without compressed pixel data (the usual case) are read as
/// they are: nothing is copied and no child runs.
///
/// The copies live in a private temporary folder ($TMPDIR or /tmp, mode 0700, removed with this object; a process
/// killed meanwhile leaves a strata-dicom-* folder behind); for a folder, beside links to the folder's other files,
/// so that series readers see the folder they would have seen, with every compressed file
/// replaced by its decoded copy. Error messages of a read of readable() name the private paths: restored() puts the
/// caller's back.
///
/// @code
///   const DecodedDicomCopies copies(folder, "Cannot read DICOM series in " + quoted(folder), limits.maxBytes);
///   try {
///       return readSeries(copies.readable());
///   } catch (const IoError& e) {
///       throw IoError(copies.restored(e.what()));
///   }
/// @endcode
class DecodedDicomCopies {
public:
    /// Decodes what needs it (throws IoError starting with `context`, see writeDecodedDicomCopies).
    DecodedDicomCopies(const std::filesystem::path& path, const std::string& context, std::uint64_t maxBytes);
    ~DecodedDicomCopies();
    DecodedDicomCopies(const DecodedDicomCopies&) = delete;
    DecodedDicomCopies& operator=(const DecodedDicomCopies&) = delete;

    /// The path to read: the given one, or its decoded copy (a file) or private folder.
    [[nodiscard]] const std::filesystem::path& readable() const { return readable_; }
    /// `message` with the private paths replaced by the given ones.
    [[nodiscard]] std::string restored(std::string message) const;

private:
    void copyFolder(const std::string& context, std::uint64_t maxBytes);
    void copyFile(const std::string& context, std::uint64_t maxBytes);
    void makePrivateFolder(const std::string& context);

    std::filesystem::path original_;
    std::filesystem::path readable_;
    std::filesystem::path private_; ///< empty when nothing was copied
};

} // namespace strata::io
