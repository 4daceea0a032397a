// The Connections dialog and its 0600 connection store (offscreen: no OpenGL needed).
#include <strata/ui/ConnectionStore.h>
#include <strata/ui/ConnectionsDialog.h>
#include <strata/ui/RemoteRunTargets.h>
#include <strata/ui/RunTargets.h>
#include <strata/remote/RemoteExecutor.h>

#include <QApplication>
#include <QDialogButtonBox>
#include <QFile>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace strata::ui;

class ConnectionsDialogTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void storeRoundTripsAndIsOwnerOnly()
    {
        QTemporaryDir dir;
        ConnectionStore store(dir.filePath(QStringLiteral("sub/connections.json")));
        QVERIFY(store.load().isEmpty());
        QList<ServerConnection> list{{QStringLiteral("lab"), QStringLiteral("https://gpu.example.org"),
                                      QStringLiteral("strata_secret"), {}, QStringLiteral("AB:CD")},
                                     {QStringLiteral("local"), QStringLiteral("http://127.0.0.1:8080"), {}, {}, {}}};
        QVERIFY2(store.save(list), qPrintable(store.error()));
        QCOMPARE(store.load(), list);
        struct stat st{};
        QCOMPARE(::stat(QFile::encodeName(store.filePath()).constData(), &st), 0);
        QCOMPARE(st.st_mode & 0777, 0600u);
        QCOMPARE(list[0].endpoint().token, std::string("strata_secret"));

        QFile broken(dir.filePath(QStringLiteral("broken.json")));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("{ not json");
        broken.close();
        ConnectionStore bad(broken.fileName());
        QVERIFY(bad.load().isEmpty());
        QVERIFY(bad.error().contains(QStringLiteral("not valid JSON")));
    }

    void savedServersBecomeRunTargets()
    {
        RunTargets targets;
        addSavedServers(targets, {{QStringLiteral("lab"), QStringLiteral("https://gpu.example.org"), QStringLiteral("t"), {}, {}}});
        const RunTarget* lab = targets.find(QStringLiteral("remote:lab"));
        QVERIFY(lab);
        QVERIFY(dynamic_cast<strata::remote::RemoteExecutor*>(lab->makeExecutor().get()));
        addSavedServers(targets, {});
        QVERIFY(!targets.find(QStringLiteral("remote:lab")));
        QVERIFY(!targets.targets().empty()); // "This workstation" stays
    }

    void testConnectionSaysNothingIsListening()
    {
        QTemporaryDir dir;
        ConnectionStore store(dir.filePath(QStringLiteral("connections.json")));
        // A free port: bind to port 0, read it back, close it again.
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        QCOMPARE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
        socklen_t len = sizeof a;
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
        const int port = ntohs(a.sin_port);
        ::close(fd);
        store.save({{QStringLiteral("closed"), QStringLiteral("http://127.0.0.1:%1").arg(port), QStringLiteral("t"), {}, {}}});
        ConnectionsDialog dialog(store);
        QSignalSpy spy(&dialog, &ConnectionsDialog::testFinished);
        dialog.findChild<QPushButton*>(QStringLiteral("testButton"))->click();
        QVERIFY(spy.wait(15000));
        QCOMPARE(spy.at(0).at(0).toBool(), false);
        QVERIFY2(spy.at(0).at(1).toString().contains(QStringLiteral("Nothing is listening")),
                 qPrintable(spy.at(0).at(1).toString()));
        QVERIFY(dialog.lastTestMessage().contains(QStringLiteral("Nothing is listening")));
    }

    void testConnectionSaysNameDoesNotResolveAndSaves()
    {
        QTemporaryDir dir;
        ConnectionStore store(dir.filePath(QStringLiteral("connections.json")));
        ConnectionsDialog dialog(store);
        dialog.findChild<QLineEdit*>(QStringLiteral("name"))->setText(QStringLiteral("typo"));
        dialog.findChild<QLineEdit*>(QStringLiteral("url"))->setText(QStringLiteral("https://no-such-host.invalid"));
        dialog.findChild<QLineEdit*>(QStringLiteral("token"))->setText(QStringLiteral("strata_x"));
        QSignalSpy spy(&dialog, &ConnectionsDialog::testFinished);
        dialog.testCurrent();
        QVERIFY(spy.wait(15000));
        QVERIFY2(spy.at(0).at(1).toString().contains(QStringLiteral("does not resolve")),
                 qPrintable(spy.at(0).at(1).toString()));
        dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Save)->click();
        const auto saved = store.load();
        QCOMPARE(saved.size(), 1);
        QCOMPARE(saved[0].name, QStringLiteral("typo"));
        QCOMPARE(saved[0].token, QStringLiteral("strata_x"));
    }
};

QTEST_MAIN(ConnectionsDialogTest)
#include "ConnectionsDialogTest.moc"
