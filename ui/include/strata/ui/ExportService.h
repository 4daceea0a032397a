#pragma once

#include <strata/results/ReportData.h>
#include <strata/results/ResultBundle.h>
#include <strata/report/ReportImages.h>

#include <QString>
#include <QStringList>

namespace strata::ui {

/// Writes a result's parts where the user asks: segmentation and thickness map (NIfTI or NRRD by
/// extension), meshes (STL/PLY/VTP), tables (CSV/JSON) and the report (PDF/HTML). Each returns the files
/// it wrote and throws strata::Error with a message for people on failure.
class ExportService {
public:
    static QStringList segmentation(const results::ResultBundle& bundle, const QString& path);
    static QStringList thickness(const results::ResultBundle& bundle, const QString& path);
    /// One file per structure and format into `folder`; formats among "stl", "ply", "vtp".
    static QStringList meshes(const results::ResultBundle& bundle, const QString& folder, const QStringList& formats);
    /// <table>.csv and <table>.json per table, plus metrics.json, into `folder`.
    static QStringList tables(const results::ReportData& data, const results::ResultBundle& bundle, const QString& folder);
    static QStringList report(const results::ReportData& data, const report::ReportImages& images, const QString& pdfPath,
                              const QString& htmlPath);
    /// The bundle's dicom/seg.dcm and dicom/sr.dcm that exist (the knee analysis of a DICOM series writes them).
    static QStringList dicomObjectsOf(const results::ResultBundle& bundle);
    /// Copies them into `folder` (seg.dcm, sr.dcm; replacing files of those names); the files written.
    static QStringList dicomObjects(const results::ResultBundle& bundle, const QString& folder);
    /// Everything into `folder`: segmentation.nii.gz/.nrrd, thickness.nii.gz/.nrrd, meshes/, tables/,
    /// report.pdf and report.html, dicom/ when the bundle has a DICOM SEG or SR.
    static QStringList everything(const results::ReportData& data, const results::ResultBundle& bundle,
                                  const report::ReportImages& images, const QString& folder);
};

} // namespace strata::ui
