#pragma once

#include "strata/remote/Client.h"

#include <QList>
#include <QString>

namespace strata::ui {

/// A saved remote server. The token lives only in the connection store's 0600 file, never in QSettings.
struct ServerConnection {
    QString name;
    QString url;
    QString token;
    QString caCertFile;   ///< extra trusted certificate (PEM), optional
    QString pinnedSha256; ///< certificate fingerprint to pin, optional

    remote::Endpoint endpoint() const;
    bool operator==(const ServerConnection&) const = default;
};

/// Reads and writes the saved servers as JSON in a file only its owner can read (0600, written atomically:
/// a temporary file created 0600, then renamed). Default: <AppConfigLocation>/connections.json.
class ConnectionStore {
public:
    explicit ConnectionStore(QString filePath = defaultPath());
    static QString defaultPath();
    const QString& filePath() const { return path_; }

    /// Empty list when the file does not exist; error() says why when it is unreadable.
    QList<ServerConnection> load();
    bool save(const QList<ServerConnection>& connections);
    const QString& error() const { return error_; }

private:
    QString path_;
    QString error_;
};

} // namespace strata::ui
