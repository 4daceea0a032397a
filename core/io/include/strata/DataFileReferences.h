#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace strata {

/// A pixel-data file named by the header of a detached-header image: MetaImage (.mha, .mhd) `ElementDataFile`,
/// NRRD (.nrrd, .nhdr) `data file:` / `datafile:`.
struct DataFileReference {
    std::string field;     ///< the header field: "ElementDataFile" or "data file"
    std::string value;     ///< what the header says, trimmed
    bool multiFile{false}; ///< a LIST of files or a printf-style pattern with a range
};

/// The data files the header of `path` refers to; empty for attached data (MetaImage `ElementDataFile = LOCAL`,
/// NRRD without a data file field), for other formats and for files that cannot be opened (left to the reader).
/// Only the header is read (at most 1 MiB). A file is taken for MetaImage or NRRD by its name or by its content
/// (an "NRRD" magic; an "ObjectType" or "NDims" first line), since ITK may pick a reader either way.
[[nodiscard]] std::vector<DataFileReference> dataFileReferences(const std::filesystem::path& path);

/// For images that came over the network: throws InvalidArgument unless every data file the header of `image`
/// refers to is one relative name (no LIST, no pattern, no "..") that resolves, symbolic links included, to a
/// regular file inside `folder`. The message names the image's file name and the field only, never the path the
/// header gives, nor whether it exists or its size.
void requireDataFilesInside(const std::filesystem::path& image, const std::filesystem::path& folder);

} // namespace strata
