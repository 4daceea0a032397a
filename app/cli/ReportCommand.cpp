#include "cli/CommandDescriptions.h"
#include "cli/Commands.h"
#include "strata/Error.h"
#include "strata/results/ReportData.h"
#include "strata/results/ResultBundle.h"

#include <strata/ui/DatasetLoader.h>
#include <strata/ui/ExportService.h>
#include <strata/ui/ReportSnapshots.h>

#include <QApplication>
#include <QImage>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>

namespace strata::cli {

void registerReportCommand(CLI::App& app)
{
    struct Options {
        std::string bundle, pdf, html, view3d, change;
    };
    auto o = std::make_shared<Options>();
    auto* cmd = app.add_subcommand("report", fullCommandDescription("report"));
    cmd->add_option("bundle", o->bundle, "Result bundle folder (holds provenance.json)")->required();
    cmd->add_option("--pdf", o->pdf, "Write the PDF report here");
    cmd->add_option("--html", o->html, "Write the self-contained HTML report here");
    cmd->add_option("--view3d", o->view3d, "PNG of the 3D view to include");
    cmd->add_option("--change", o->change,
                    "A change folder (strata-cli change ... --out DIR) to add as the report's 'Change since baseline' section");
    cmd->callback([o] {
        if (o->pdf.empty() && o->html.empty()) {
            throw InvalidArgument("Give --pdf FILE and/or --html FILE.");
        }
        // Charts and text need a QApplication but no display: the offscreen platform unless one is chosen.
        if (std::getenv("QT_QPA_PLATFORM") == nullptr) {
            setenv("QT_QPA_PLATFORM", "offscreen", 1);
        }
        static int argc = 1;
        static char name[] = "strata-cli";
        static char* argv[] = {name, nullptr};
        QApplication qapp(argc, argv);

        const auto bundle = results::ResultBundle::load(o->bundle, {}, false);
        auto data = results::ReportData::fromBundle(bundle);
        if (!o->change.empty()) data.change = results::ChangeSection::fromFolder(o->change);
        report::ReportImages images;
        const auto input = bundle.inputPath();
        std::error_code ec;
        if (!input.empty() && std::filesystem::exists(input, ec)) {
            auto ds = ui::DatasetLoader::load(input, {});
            if (bundle.segmentation) {
                ds->labels = bundle.segmentation;
            }
            images = ui::ReportSnapshots::slices(*ds);
        } else {
            std::cerr << "strata-cli: warning: the input scan '" << input.string()
                      << "' is not there; the report has no slice pictures\n";
        }
        if (!o->view3d.empty()) {
            images.view3d = QImage(QString::fromStdString(o->view3d));
            if (images.view3d.isNull()) {
                throw IoError("Cannot read the 3D picture '" + o->view3d + "'.");
            }
        }
        const QStringList written = ui::ExportService::report(data, images, QString::fromStdString(o->pdf), QString::fromStdString(o->html));
        for (const QString& f : written) {
            std::cout << "Wrote " << f.toStdString() << '\n';
        }
    });
}

} // namespace strata::cli
