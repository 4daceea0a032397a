#include "strata/ui/ExportService.h"

#include "strata/ui/FsPath.h"

#include <strata/Error.h>
#include <strata/ImageIO.h>
#include <strata/quant/MeshIO.h>
#include <strata/report/ReportWriter.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <fstream>

namespace strata::ui {

namespace {

void writeText(const QString& path, const std::string& text)
{
    std::ofstream out(fsPath(path), std::ios::binary);
    out << text;
    if (!out) {
        throw IoError("Cannot write '" + path.toStdString() + "'.");
    }
}

void makeDir(const QString& folder)
{
    if (!QDir().mkpath(folder)) {
        throw IoError("Cannot create the folder '" + folder.toStdString() + "'.");
    }
}

} // namespace

QStringList ExportService::segmentation(const results::ResultBundle& bundle, const QString& path)
{
    if (!bundle.segmentation) {
        throw Error("This result has no segmentation.");
    }
    writeLabelMap(*bundle.segmentation, fsPath(path));
    return {path};
}

QStringList ExportService::thickness(const results::ResultBundle& bundle, const QString& path)
{
    if (!bundle.thickness) {
        throw Error("This result has no thickness map.");
    }
    writeImage(*bundle.thickness, fsPath(path));
    return {path};
}

QStringList ExportService::meshes(const results::ResultBundle& bundle, const QString& folder, const QStringList& formats)
{
    if (bundle.meshes.empty()) {
        throw Error("This result has no meshes.");
    }
    makeDir(folder);
    QStringList written;
    for (const auto& m : bundle.meshes) {
        for (const QString& ext : formats) {
            const QString path = folder + QLatin1Char('/') + QString::fromStdString(m.name) + QLatin1Char('.') + ext.toLower();
            quant::writeMesh(*m.mesh, fsPath(path));
            written << path;
        }
    }
    return written;
}

QStringList ExportService::tables(const results::ReportData& data, const results::ResultBundle& bundle, const QString& folder)
{
    makeDir(folder);
    QStringList written;
    for (const auto& t : data.tables) {
        const QString base = folder + QLatin1Char('/') + QString::fromStdString(t.id);
        writeText(base + QStringLiteral(".csv"), t.toCsv());
        writeText(base + QStringLiteral(".json"), t.toJson().dump(2) + "\n");
        written << base + QStringLiteral(".csv") << base + QStringLiteral(".json");
    }
    if (!bundle.metrics.empty()) {
        writeText(folder + QStringLiteral("/metrics.json"), bundle.metrics.dump(2) + "\n");
        written << folder + QStringLiteral("/metrics.json");
    }
    return written;
}

QStringList ExportService::report(const results::ReportData& data, const report::ReportImages& images, const QString& pdfPath,
                                  const QString& htmlPath)
{
    const report::ReportWriter writer(data, images);
    QStringList written;
    QString error;
    if (!pdfPath.isEmpty()) {
        if (!writer.writePdf(pdfPath, &error)) {
            throw IoError(error.toStdString());
        }
        written << pdfPath;
    }
    if (!htmlPath.isEmpty()) {
        if (!writer.writeHtml(htmlPath, &error)) {
            throw IoError(error.toStdString());
        }
        written << htmlPath;
    }
    return written;
}

QStringList ExportService::everything(const results::ReportData& data, const results::ResultBundle& bundle,
                                      const report::ReportImages& images, const QString& folder)
{
    makeDir(folder);
    QStringList written;
    if (bundle.segmentation) {
        written << segmentation(bundle, folder + QStringLiteral("/segmentation.nii.gz"));
        written << segmentation(bundle, folder + QStringLiteral("/segmentation.nrrd"));
    }
    if (bundle.thickness) {
        written << thickness(bundle, folder + QStringLiteral("/thickness.nii.gz"));
        written << thickness(bundle, folder + QStringLiteral("/thickness.nrrd"));
    }
    if (!bundle.meshes.empty()) {
        written << meshes(bundle, folder + QStringLiteral("/meshes"), {QStringLiteral("stl"), QStringLiteral("ply"), QStringLiteral("vtp")});
    }
    written << tables(data, bundle, folder + QStringLiteral("/tables"));
    written << report(data, images, folder + QStringLiteral("/report.pdf"), folder + QStringLiteral("/report.html"));
    if (!dicomObjectsOf(bundle).isEmpty()) {
        written << dicomObjects(bundle, folder + QStringLiteral("/dicom"));
    }
    return written;
}

QStringList ExportService::dicomObjectsOf(const results::ResultBundle& bundle)
{
    QStringList found;
    for (const char* name : {"seg.dcm", "sr.dcm"}) {
        const QString path = QString::fromStdString((bundle.dir / "dicom" / name).string());
        if (QFileInfo(path).isFile()) found << path;
    }
    return found;
}

QStringList ExportService::dicomObjects(const results::ResultBundle& bundle, const QString& folder)
{
    const QStringList sources = dicomObjectsOf(bundle);
    if (sources.isEmpty()) return {};
    makeDir(folder);
    QStringList written;
    for (const QString& source : sources) {
        // Copied beside the target, then renamed over it: a failed copy leaves no half file and the old one intact.
        const QString target = folder + QLatin1Char('/') + QFileInfo(source).fileName();
        const QString part = target + QStringLiteral(".part");
        QFile::remove(part);
        if (!QFile::copy(source, part)) {
            QFile::remove(part);
            throw IoError("Cannot copy '" + source.toStdString() + "' to '" + folder.toStdString() + "'.");
        }
        QFile::remove(target);
        if (!QFile::rename(part, target)) {
            QFile::remove(part);
            throw IoError("Cannot write '" + target.toStdString() + "'.");
        }
        written << target;
    }
    return written;
}

} // namespace strata::ui
