#include "strata/ui/ReportSnapshots.h"

#include "strata/ui/SliceMapping.h"
#include "strata/ui/SliceRenderer.h"

#include <QPainter>

#include <algorithm>
#include <cmath>

namespace strata::ui {

std::array<int, 3> ReportSnapshots::labelCentre(const Dataset& ds, int id)
{
    const auto& size = ds.image->size();
    std::array<int, 3> centre{static_cast<int>(size[0] / 2), static_cast<int>(size[1] / 2), static_cast<int>(size[2] / 2)};
    if (!ds.labels || id <= 0 || ds.labels->image().size() != size) {
        return centre;
    }
    const auto ids = ds.labels->ids();
    double sum[3] = {0, 0, 0};
    std::size_t n = 0, i = 0;
    for (std::size_t z = 0; z < size[2]; ++z) {
        for (std::size_t y = 0; y < size[1]; ++y) {
            for (std::size_t x = 0; x < size[0]; ++x, ++i) {
                if (ids[i] == id) {
                    sum[0] += static_cast<double>(x);
                    sum[1] += static_cast<double>(y);
                    sum[2] += static_cast<double>(z);
                    ++n;
                }
            }
        }
    }
    if (n == 0) {
        return centre;
    }
    for (std::size_t a = 0; a < 3; ++a) {
        centre[a] = static_cast<int>(std::lround(sum[a] / static_cast<double>(n)));
    }
    return centre;
}

int ReportSnapshots::focusLabel(const Dataset& ds)
{
    if (!ds.labels) {
        return 0;
    }
    if (const auto info = ds.labels->table().findByName("femoral_cartilage")) {
        return info->id;
    }
    int best = 0;
    std::size_t most = 0;
    for (const auto& [id, count] : ds.labels->voxelCounts()) {
        if (id > 0 && count > most) {
            best = id;
            most = count;
        }
    }
    return best;
}

report::ReportImages ReportSnapshots::slices(const Dataset& ds, int height)
{
    report::ReportImages out;
    if (!ds.image) {
        return out;
    }
    const auto centre = labelCentre(ds, focusLabel(ds));
    const double lo = ds.p1, hi = ds.p99 > ds.p1 ? ds.p99 : ds.p1 + 1.0;
    const WindowLevel wl{hi - lo, (hi + lo) / 2.0};
    OverlaySettings overlay;
    overlay.opacity = 0.45;
    QImage* targets[3] = {&out.axial, &out.coronal, &out.sagittal};
    for (ViewPlane plane : kViewPlanes) {
        const SliceMapping m = SliceMapping::compute(*ds.image, plane);
        const QImage raw = SliceRenderer::render(ds, m, centre[static_cast<std::size_t>(m.sliceAxis())], wl, overlay);
        if (raw.isNull()) {
            continue;
        }
        const double wMm = m.width() * m.pixelWidthMm(), hMm = m.height() * m.pixelHeightMm();
        const int width = std::max(1, static_cast<int>(std::lround(height * wMm / hMm)));
        QImage scaled = raw.scaled(width, height, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
        QPainter p(&scaled);
        p.setRenderHint(QPainter::TextAntialiasing);
        QFont f = p.font();
        f.setPixelSize(std::max(12, height / 26));
        p.setFont(f);
        p.setPen(QColor(255, 220, 120));
        const QRect r = scaled.rect().adjusted(6, 4, -6, -4);
        for (int edge = 0; edge < 4; ++edge) {
            const Qt::Alignment a[] = {Qt::AlignLeft | Qt::AlignVCenter, Qt::AlignRight | Qt::AlignVCenter,
                                       Qt::AlignHCenter | Qt::AlignTop, Qt::AlignHCenter | Qt::AlignBottom};
            p.drawText(r, static_cast<int>(a[edge]), QString::fromLatin1(SliceMapping::edgeLetter(plane, edge)));
        }
        p.setPen(Qt::white);
        p.drawText(r, Qt::AlignLeft | Qt::AlignTop, QString::fromLatin1(viewPlaneName(plane)));
        *targets[static_cast<int>(plane)] = scaled;
    }
    return out;
}

QImage ReportSnapshots::cropToContent(const QImage& image, int margin)
{
    if (image.isNull()) return image;
    const QImage img = image.convertToFormat(QImage::Format_RGB32);
    int left = img.width(), right = -1, top = img.height(), bottom = -1;
    for (int y = 0; y < img.height(); ++y) {
        const auto* row = reinterpret_cast<const QRgb*>(img.constScanLine(y));
        const QRgb bg = row[0];
        for (int x = 1; x < img.width(); ++x) {
            const int d = std::abs(qRed(row[x]) - qRed(bg)) + std::abs(qGreen(row[x]) - qGreen(bg)) +
                          std::abs(qBlue(row[x]) - qBlue(bg));
            if (d > 24) {
                left = std::min(left, x);
                right = std::max(right, x);
                top = std::min(top, y);
                bottom = std::max(bottom, y);
            }
        }
    }
    if (right < left || bottom < top) return image; // nothing but background
    const QRect box = QRect(QPoint(left, top), QPoint(right, bottom)).adjusted(-margin, -margin, margin, margin);
    return image.copy(box.intersected(image.rect()));
}

} // namespace strata::ui
