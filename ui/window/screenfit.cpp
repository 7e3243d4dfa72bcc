#include "ui/window/screenfit.h"

#include <QGuiApplication>
#include <QScreen>
#include <QWidget>

#include <algorithm>

namespace pipescope
{

QRect ScreenFit::clamp(const QRect &frame, const QRect &available)
{
    if (available.isEmpty())
        return frame;
    QRect r(frame.topLeft(), frame.size().boundedTo(available.size()));
    // Keep it inside: right and bottom edges first, then left and top win for a window as large as the screen.
    r.moveRight(std::min(r.right(), available.right()));
    r.moveBottom(std::min(r.bottom(), available.bottom()));
    r.moveLeft(std::max(r.left(), available.left()));
    r.moveTop(std::max(r.top(), available.top()));
    return r;
}

QSize ScreenFit::defaultSize(const QRect &available)
{
    const QSize wanted(1600, 900);
    if (available.isEmpty())
        return wanted;
    return wanted.boundedTo(available.size() * 9 / 10);
}

QRect ScreenFit::availableFor(const QWidget *window)
{
    // The offscreen platform's 800x600 "screen" is nobody's display: windows there (tests,
    // README pictures) keep the size they are given.
    if (QGuiApplication::platformName() == QLatin1String("offscreen"))
        return {};
    QScreen *screen = QGuiApplication::screenAt(window->frameGeometry().center());
    if (!screen)
        screen = window->screen();
    if (!screen)
        screen = QGuiApplication::primaryScreen();
    return screen ? screen->availableGeometry() : QRect();
}

void ScreenFit::fit(QWidget *window)
{
    fitInto(window, availableFor(window));
}

bool ScreenFit::restore(QWidget *window, const QByteArray &saved, const QRect &available)
{
    const bool restored = !saved.isEmpty() && window->restoreGeometry(saved);
    if (!restored)
        window->resize(defaultSize(available));
    fitInto(window, available);
    return restored;
}

void ScreenFit::fitInto(QWidget *window, const QRect &available)
{
    if (available.isEmpty() || window->isFullScreen() || window->isMaximized())
        return; // the window system sizes full-screen and maximised windows to the screen itself
    const QRect frame = window->frameGeometry();
    const QRect fitted = clamp(frame, available);
    if (fitted == frame)
        return;
    // The frame (title bar, borders) belongs to the window manager: only the client part is ours to size.
    const QSize decoration = frame.size() - window->geometry().size();
    window->resize(fitted.size() - decoration);
    window->move(fitted.topLeft());
}

} // namespace pipescope
