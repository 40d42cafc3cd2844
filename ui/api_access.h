#pragma once

#include <QLabel>

#include <functional>

namespace tai::ui {

// What the console shows about its HTTP API: where it listens, how busy it is, what went wrong.
struct ApiStatus {
    QString url;  // empty: not running
    double requestsPerSecond = 0;
    QString lastError;
    QString token;
    QString tokenPath;
};

// The status-bar indicator: address, request rate and the last error; refreshed once a second.
class ApiStatusIndicator : public QLabel {
    Q_OBJECT
public:
    explicit ApiStatusIndicator(std::function<ApiStatus()> source, QWidget* parent = nullptr);
    void refresh();

private:
    std::function<ApiStatus()> source_;
};

// Settings → API access: the address and the control token, with a copy button.
void showApiAccessDialog(QWidget* parent, const ApiStatus& status);

}  // namespace tai::ui
