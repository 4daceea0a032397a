#include "strata/ui/Application.h"

#include "strata/ui/MainWindow.h"
#include "strata/ui/SliceView.h"
#include "strata/ui/VtkOpenGLWidget.h"

#include <strata/Version.h>

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QTimer>

#include <cstdio>

namespace strata::ui {

int Application::run(int argc, char** argv)
{
    QElapsedTimer clock;
    clock.start();
    VtkOpenGLWidget::setDefaultSurfaceFormat(); // must precede QApplication
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Strata"));
    QApplication::setApplicationName(QStringLiteral("Strata"));
    QApplication::setApplicationVersion(QString::fromLatin1(kVersion));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Strata imaging workstation"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QStringLiteral("Load FILEs, save a screenshot of the window to <png> and exit."),
                                        QStringLiteral("png"));
    const QCommandLineOption layout(QStringLiteral("layout"), QStringLiteral("View layout: 2x2, axial, coronal, sagittal, 3d."),
                                    QStringLiteral("name"));
    const QCommandLineOption size(QStringLiteral("size"), QStringLiteral("Window size for screenshots (default 1280x900)."),
                                  QStringLiteral("WxH"), QStringLiteral("1280x900"));
    const QCommandLineOption timing(QStringLiteral("timing"), QStringLiteral("Print the time to the first rendered image."));
    const QCommandLineOption noSurfaces(QStringLiteral("no-surfaces"), QStringLiteral("Do not build 3D label surfaces automatically."));
    parser.addOptions({screenshot, layout, size, timing, noSurfaces});
    parser.addPositionalArgument(QStringLiteral("files"), QStringLiteral("Images or DICOM folders to open."), QStringLiteral("[FILE...]"));
    parser.process(app);

    MainWindow window;
    const bool shotMode = parser.isSet(screenshot);
    if (shotMode) {
        window.setInteractive(false);
        window.setAnalysisPanelsVisible(false); // viewer screenshots: the views get the whole width
        const QStringList wh = parser.value(size).split(QLatin1Char('x'));
        const int w = wh.size() == 2 ? wh[0].toInt() : 1280, h = wh.size() == 2 ? wh[1].toInt() : 900;
        window.resize(w > 100 ? w : 1280, h > 100 ? h : 900);
        window.setLayoutByName(QStringLiteral("2x2"));
    }
    if (parser.isSet(layout) && !window.setLayoutByName(parser.value(layout))) {
        std::fprintf(stderr, "strata: unknown layout \"%s\" (use 2x2, axial, coronal, sagittal or 3d)\n",
                     qPrintable(parser.value(layout)));
        return 2;
    }
    if (parser.isSet(noSurfaces)) {
        window.setAutoSurfaces(false);
    }
    if (parser.isSet(timing)) {
        for (ViewPlane p : kViewPlanes) {
            QObject::connect(window.sliceView(p), &SliceView::frameRendered, &window, [&clock] {
                static bool printed = false;
                if (!printed) {
                    printed = true;
                    std::printf("strata: first image after %lld ms\n", static_cast<long long>(clock.elapsed()));
                    std::fflush(stdout);
                }
            });
        }
    }

    int failures = 0;
    QObject::connect(&window, &MainWindow::errorOccurred, &window, [&failures] { ++failures; });
    if (shotMode) {
        const QString out = parser.value(screenshot);
        // Once everything is loaded and built, let the views paint, then grab and quit.
        QObject::connect(&window, &MainWindow::idle, &window, [&window, &failures, &clock, &parser, &timing, out] {
            QTimer::singleShot(150, &window, [&window, &failures, &clock, &parser, &timing, out] {
                if (window.busy()) {
                    return; // more work was queued meanwhile; idle() comes again
                }
                const bool ok = window.saveScreenshot(out);
                if (parser.isSet(timing)) {
                    std::printf("strata: screenshot after %lld ms\n", static_cast<long long>(clock.elapsed()));
                }
                QApplication::exit(ok && failures == 0 ? 0 : 1);
            });
        });
        QTimer::singleShot(10 * 60 * 1000, &app, [] {
            std::fprintf(stderr, "strata: timed out waiting for loading to finish\n");
            QApplication::exit(3);
        });
    }
    window.show();
    const QStringList files = parser.positionalArguments();
    QTimer::singleShot(0, &window, [&window, files] { window.openPaths(files); });
    return QApplication::exec();
}

} // namespace strata::ui
