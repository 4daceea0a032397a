#include "strata/report/ReportHtml.h"

#include <QStringList>

namespace strata::report {

namespace {

QString esc(const std::string& s) { return QString::fromStdString(s).toHtmlEscaped(); }

QString keyValueTable(const std::vector<std::pair<std::string, std::string>>& rows, bool breakValues)
{
    QString h = QStringLiteral("<table class=\"kv\" width=\"100%\" cellspacing=\"0\" cellpadding=\"3\">");
    for (const auto& [k, v] : rows) {
        QString value = esc(v);
        if (breakValues && value.size() > 40 && !value.contains(QLatin1Char(' '))) {
            value.insert(value.size() / 2, QStringLiteral("<br/>")); // hashes: two lines fit the column
        }
        h += QStringLiteral("<tr><td class=\"k\" width=\"28%\">%1</td><td class=\"v\">%2</td></tr>").arg(esc(k), value);
    }
    return h + QStringLiteral("</table>");
}

QString resultTable(const results::ResultTable& t)
{
    QString h = QStringLiteral("<h3>%1</h3><table class=\"data\" width=\"100%\" cellspacing=\"0\" cellpadding=\"3\"><thead><tr>")
                    .arg(esc(t.title));
    for (const auto& c : t.columns) {
        h += QStringLiteral("<th style=\"white-space: nowrap\">%1</th>").arg(esc(c));
    }
    h += QStringLiteral("</tr></thead>");
    int i = 0;
    for (const auto& row : t.rows) {
        h += (i++ % 2) ? QStringLiteral("<tr class=\"odd\">") : QStringLiteral("<tr>");
        for (const auto& cell : row) {
            h += cell.numeric ? QStringLiteral("<td align=\"right\" style=\"white-space: nowrap\">%1</td>").arg(esc(cell.text))
                              : QStringLiteral("<td style=\"white-space: nowrap\">%1</td>").arg(esc(cell.text));
        }
        h += QStringLiteral("</tr>");
    }
    return h + QStringLiteral("</table>");
}

/// A picture `size` pixels high (negative: that many pixels wide), the other side following its aspect.
QString picture(const QString& url, int size, const QString& caption)
{
    if (url.isEmpty()) {
        return QStringLiteral("<td class=\"pic\" align=\"center\"><p class=\"caption\">%1: not available</p></td>").arg(caption.toHtmlEscaped());
    }
    const QString dim = size < 0 ? QStringLiteral("width=\"%1\"").arg(-size) : QStringLiteral("height=\"%1\"").arg(size);
    return QStringLiteral("<td class=\"pic\" align=\"center\"><img src=\"%1\" %2/><p class=\"caption\">%3</p></td>")
        .arg(url, dim, caption.toHtmlEscaped());
}

/// Two maps a row, each `width` pixels wide, named `prefix`0, `prefix`1, ... for imageUrl.
QString mapGrid(const std::vector<std::pair<std::string, std::string>>& maps, const QString& prefix,
                const std::function<QString(const QString&)>& imageUrl, int width)
{
    QString h = QStringLiteral("<table width=\"100%\" cellspacing=\"0\" cellpadding=\"0\">");
    for (std::size_t i = 0; i < maps.size(); ++i) {
        if (i % 2 == 0) h += QStringLiteral("<tr>");
        h += picture(imageUrl(prefix + QString::number(i)), width, QString::fromStdString(maps[i].first));
        if (i % 2 == 1 || i + 1 == maps.size()) h += QStringLiteral("</tr>");
    }
    return h + QStringLiteral("</table>");
}

QString changeSection(const results::ChangeSection& c, const std::function<QString(const QString&)>& imageUrl,
                      const QString& breakAttr, int mapWidth)
{
    QString h = QStringLiteral("<h2%1>Change since baseline</h2>").arg(breakAttr) + keyValueTable(c.summary, false);
    // The short tables and the maps first (they fit one page together), the long region table after them.
    for (const auto& t : c.tables)
        if (t.id != "change_regions") h += resultTable(t);
    if (!c.maps.empty()) {
        h += QStringLiteral("<h3>Thickness change maps (follow-up minus baseline)</h3>") +
             mapGrid(c.maps, QStringLiteral("change"), imageUrl, mapWidth);
    }
    for (const auto& t : c.tables)
        if (t.id == "change_regions") h += resultTable(t);
    return h + QStringLiteral("<p class=\"methods\">%1</p>").arg(esc(c.methods));
}

} // namespace

QString ReportHtml::build(const results::ReportData& d, const std::function<QString(const QString&)>& imageUrl, bool forBrowser)
{
    const QString style = QStringLiteral(
        "body { font-family: 'DejaVu Sans', sans-serif; font-size: 9pt; color: #1a1a1a; }"
        "h1 { font-size: 17pt; color: #17365d; margin-bottom: 0; }"
        "h2 { font-size: 12.5pt; color: #17365d; border-bottom: 1px solid #17365d; margin-top: 14px; }"
        "h3 { font-size: 10pt; color: #333333; margin-top: 10px; margin-bottom: 4px; }"
        "p.sub { font-size: 10pt; color: #555555; margin-top: 2px; }"
        "p.caption { font-size: 7.5pt; color: #555555; margin-top: 2px; }"
        "p.methods { text-align: justify; }"
        "table.kv td.k { color: #555555; }"
        "table.kv td { border-bottom: 1px solid #dddddd; }"
        "table.data { border-collapse: collapse; font-size: 8pt; }"
        "table.data th { background-color: #17365d; color: white; font-weight: bold; border: 1px solid #17365d; }"
        "table.data td { border: 1px solid #c8c8c8; }"
        "tr.odd td { background-color: #eef2f7; }"
        "td.pic { padding: 4px; }"
        "p.foot { font-size: 7pt; color: #777777; }"
        "table.warn { background-color: #fff3cd; border: 2px solid #b94a00; color: #6b2b00; margin-top: 8px; }");
    const QString browserStyle = QStringLiteral(
        "@page { size: A4; margin: 15mm; }"
        "body { max-width: 180mm; margin: 0 auto; }"
        "table.data, table.kv { border-collapse: collapse; }"
        "h2.newpage { page-break-before: always; }"
        "img { max-width: 100%; height: auto; }");
    const QString breakAttr = QStringLiteral(" class=\"newpage\" style=\"page-break-before: always\"");
    // QTextDocument lays the page out ~640 px wide (A4 minus margins at 96 dpi).
    const int sliceHeight = 185, view3dHeight = 290, full = -600, mapWidth = -300;

    QString h = QStringLiteral("<html><head><meta charset=\"utf-8\"/><title>%1</title><style>%2%3</style></head><body>")
                    .arg(esc(d.title), style, forBrowser ? browserStyle : QString());
    h += QStringLiteral("<h1>%1</h1><p class=\"sub\">%2 &middot; report generated %3</p>")
             .arg(esc(d.title), esc(d.subtitle), esc(d.generatedAt));
    if (!d.warning.empty()) { // quality control: on the first page, before anything else
        h += QStringLiteral("<table class=\"warn\" width=\"100%\" cellspacing=\"0\" cellpadding=\"6\"><tr><td><b>%1</b>")
                 .arg(esc(d.warning));
        if (!d.warningReasons.empty()) {
            h += QStringLiteral("<ul>");
            for (const auto& reason : d.warningReasons) h += QStringLiteral("<li>%1</li>").arg(esc(reason));
            h += QStringLiteral("</ul>");
        }
        h += QStringLiteral("</td></tr></table>");
    }
    h += QStringLiteral("<h2>Summary</h2>") + keyValueTable(d.summary, false);

    // A picture the report was given no image for (left out in Edit > Preferences, no 3D view from the command line)
    // is left out, with its row when the row has none, and the heading when there is no picture at all.
    const std::pair<QString, QString> slicePics[] = {{QStringLiteral("axial"), QStringLiteral("Axial, segmentation overlay")},
                                                     {QStringLiteral("coronal"), QStringLiteral("Coronal, segmentation overlay")},
                                                     {QStringLiteral("sagittal"), QStringLiteral("Sagittal, segmentation overlay")}};
    QString slices;
    for (const auto& [name, caption] : slicePics) {
        if (const QString url = imageUrl(name); !url.isEmpty()) slices += picture(url, sliceHeight, caption);
    }
    const QString view3d = imageUrl(QStringLiteral("view3d"));
    if (!slices.isEmpty() || !view3d.isEmpty()) h += QStringLiteral("<h2>Images</h2>");
    const QString row = QStringLiteral("<table width=\"100%\" cellspacing=\"0\" cellpadding=\"0\"><tr>%1</tr></table>");
    if (!slices.isEmpty()) h += row.arg(slices);
    if (!view3d.isEmpty()) {
        h += row.arg(picture(view3d, view3dHeight, QStringLiteral("3D: cartilage coloured by thickness (mm), bones and menisci by label")));
    }

    h += QStringLiteral("<h2%1>Results</h2>").arg(breakAttr);
    for (const auto& t : d.tables) {
        h += resultTable(t);
    }

    h += QStringLiteral("<h2%1>Plots</h2><table width=\"100%\" cellspacing=\"0\" cellpadding=\"0\">").arg(breakAttr);
    const QString hist = imageUrl(QStringLiteral("histogram")), regions = imageUrl(QStringLiteral("regions"));
    if (!hist.isEmpty()) {
        h += QStringLiteral("<tr>") + picture(hist, full, QStringLiteral("Share of each plate's voxels per 0.2 mm thickness bin")) +
             QStringLiteral("</tr>");
    }
    if (!regions.isEmpty()) {
        h += QStringLiteral("<tr>") + picture(regions, full, QStringLiteral("5th percentile, mean and 95th percentile of cartilage thickness per subregion (Wirth & Eckstein)")) +
             QStringLiteral("</tr>");
    }
    h += QStringLiteral("</table>");

    if (!d.thicknessMaps.empty()) { // two maps a row
        h += QStringLiteral("<h2%1>Thickness maps</h2>").arg(breakAttr) + mapGrid(d.thicknessMaps, QStringLiteral("map"), imageUrl, mapWidth);
    }

    if (d.change) h += changeSection(*d.change, imageUrl, breakAttr, mapWidth);

    h += QStringLiteral("<h2%1>Methods</h2><p class=\"methods\">%2</p>").arg(breakAttr, esc(d.methods));
    h += QStringLiteral("<h2>Provenance</h2>") + keyValueTable(d.provenance, true);
    if (!d.timings.empty()) {
        // One row of stages and one of seconds: the provenance page keeps room for its footer (a tall table
        // pushed its last rows onto a page of their own).
        QString names, seconds;
        double total = 0;
        for (const auto& [stage, s] : d.timings) {
            names += QStringLiteral("<th>%1</th>").arg(esc(stage));
            seconds += QStringLiteral("<td align=\"right\">%1</td>").arg(s, 0, 'f', 2);
            total += s;
        }
        h += QStringLiteral("<h3>Stage timings (seconds)</h3><table class=\"data\" cellspacing=\"0\" cellpadding=\"3\">"
                            "<tr>%1<th>total</th></tr><tr>%2<td align=\"right\"><b>%3</b></td></tr></table>")
                 .arg(names, seconds)
                 .arg(total, 0, 'f', 2);
    }
    h += QStringLiteral("<p class=\"foot\">Automatic analysis by Strata; review before use. Numbers in mm and mm&sup3; unless stated.</p>");
    return h + QStringLiteral("</body></html>");
}

} // namespace strata::report
