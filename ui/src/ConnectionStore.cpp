#include "strata/ui/ConnectionStore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace strata::ui {

remote::Endpoint ServerConnection::endpoint() const
{
    remote::Endpoint e;
    e.url = url.trimmed().toStdString();
    e.token = token.trimmed().toStdString();
    e.caCertFile = caCertFile.trimmed().toStdString();
    e.pinnedSha256 = pinnedSha256.trimmed().toStdString();
    return e;
}

ConnectionStore::ConnectionStore(QString filePath) : path_(std::move(filePath)) {}

QString ConnectionStore::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) + QStringLiteral("/connections.json");
}

QList<ServerConnection> ConnectionStore::load()
{
    error_.clear();
    QList<ServerConnection> out;
    QFile f(path_);
    if (!f.exists()) return out;
    if (!f.open(QIODevice::ReadOnly)) {
        error_ = QStringLiteral("Cannot read %1: %2").arg(path_, f.errorString());
        return out;
    }
    QJsonParseError parseError{};
    const auto doc = QJsonDocument::fromJson(f.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        error_ = QStringLiteral("%1 is not valid JSON: %2").arg(path_, parseError.errorString());
        return out;
    }
    for (const auto& v : doc.object().value(QStringLiteral("servers")).toArray()) {
        const auto o = v.toObject();
        out.push_back({o.value(QStringLiteral("name")).toString(), o.value(QStringLiteral("url")).toString(),
                       o.value(QStringLiteral("token")).toString(), o.value(QStringLiteral("ca_cert_file")).toString(),
                       o.value(QStringLiteral("pinned_sha256")).toString()});
    }
    return out;
}

bool ConnectionStore::save(const QList<ServerConnection>& connections)
{
    error_.clear();
    QJsonArray servers;
    for (const auto& c : connections) {
        servers.append(QJsonObject{{QStringLiteral("name"), c.name},
                                   {QStringLiteral("url"), c.url},
                                   {QStringLiteral("token"), c.token},
                                   {QStringLiteral("ca_cert_file"), c.caCertFile},
                                   {QStringLiteral("pinned_sha256"), c.pinnedSha256}});
    }
    const QByteArray bytes = QJsonDocument(QJsonObject{{QStringLiteral("servers"), servers}}).toJson();
    QDir().mkpath(QFileInfo(path_).absolutePath());
    const QByteArray target = QFile::encodeName(path_);
    const QByteArray tmp = target + ".tmp";
    const int fd = ::open(tmp.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0600); // never readable by others
    if (fd < 0) {
        error_ = QStringLiteral("Cannot write %1: %2").arg(path_, QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    ::fchmod(fd, 0600);
    const bool ok = ::write(fd, bytes.constData(), static_cast<size_t>(bytes.size())) == bytes.size() && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok || ::rename(tmp.constData(), target.constData()) != 0) {
        error_ = QStringLiteral("Cannot write %1: %2").arg(path_, QString::fromLocal8Bit(std::strerror(errno)));
        ::unlink(tmp.constData());
        return false;
    }
    return true;
}

} // namespace strata::ui
