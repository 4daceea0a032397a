#pragma once

#include <QString>

#include <string>

namespace strata::ui {

/// What a run input is, by its name (and a folder by its first entries): the Analysis panel offers a pipeline only
/// the inputs of a kind its first input takes (issue 24, item 9).
enum class InputKind {
    Volume,        ///< NIfTI, NRRD, MetaImage, a DICOM file or a DICOM series folder
    Picture,       ///< PNG, JPEG, TIFF, BMP, PNM, WebP
    Document,      ///< PDF
    Video,         ///< AVI, MP4, MKV, MOV, WebM, MPEG, ...
    PictureFolder, ///< a folder whose first entries include pictures or documents
    Unknown,
};

/// The kind of `path`. A folder is a DICOM series unless its first 50 entries include pictures or documents.
InputKind inputKind(const QString& path);

/// Whether a pipeline input of manifest type `portType` ("image": a 3D scan, "images": pictures, documents or a
/// folder of them, "media": a picture or a video) takes an input of `kind`. Unknown kinds fit every type (what
/// cannot be told apart is not hidden), other types take everything.
bool inputFits(InputKind kind, const std::string& portType);

} // namespace strata::ui
