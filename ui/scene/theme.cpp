#include "ui/scene/theme.h"

#include <QPalette>

namespace pipescope
{

Theme Theme::light()
{
    Theme t;
    t.kind = Kind::Light;
    t.background = QColor(0xfb, 0xfb, 0xf8);
    t.grid = QColor(0xe4, 0xe4, 0xe0);
    t.text = QColor(0x11, 0x11, 0x11);
    t.mutedText = QColor(0x44, 0x44, 0x44);
    t.nodeFill = QColor(0xff, 0xff, 0xff);
    t.running = QColor(0x00, 0x72, 0xb2);
    t.held = QColor(0xe6, 0x9f, 0x00);
    t.blocked = QColor(0xd5, 0x5e, 0x00);
    t.sleeping = QColor(0xcc, 0x79, 0xa7);
    t.exited = QColor(0x77, 0x77, 0x77);
    t.pipeBody = QColor(0x30, 0x30, 0x30);
    t.pipeFill = QColor(0x56, 0xb4, 0xe9);
    t.chunk = QColor(0x00, 0x9e, 0x73);
    t.chunkText = QColor(0xff, 0xff, 0xff);
    t.mark = QColor(0xf0, 0xe4, 0x42);
    t.markText = QColor(0x11, 0x11, 0x11);
    t.connector = QColor(0x55, 0x55, 0x55);
    return t;
}

Theme Theme::dark()
{
    Theme t = light();
    t.kind = Kind::Dark;
    t.background = QColor(0x16, 0x18, 0x1c);
    t.grid = QColor(0x2a, 0x2d, 0x33);
    t.text = QColor(0xf2, 0xf2, 0xf2);
    t.mutedText = QColor(0xc8, 0xc8, 0xc8);
    t.nodeFill = QColor(0x24, 0x27, 0x2e);
    t.running = QColor(0x56, 0xb4, 0xe9); // sky: blue is too dark on black
    t.exited = QColor(0x9a, 0x9a, 0x9a);
    t.pipeBody = QColor(0xd8, 0xd8, 0xd8);
    t.pipeFill = QColor(0x00, 0x72, 0xb2);
    t.connector = QColor(0xaa, 0xaa, 0xaa);
    return t;
}

Theme Theme::byName(const QString &name)
{
    return name == QLatin1String("dark") ? dark() : light();
}

QString Theme::name() const
{
    return kind == Kind::Dark ? QStringLiteral("dark") : QStringLiteral("light");
}

QFont Theme::font(int pointSize, bool bold) const
{
    QFont f(QStringLiteral("DejaVu Sans"));
    f.setPointSize(pointSize);
    f.setBold(bold);
    return f;
}

QPalette Theme::palette() const
{
    QPalette p;
    const QColor window = kind == Kind::Dark ? QColor(0x20, 0x22, 0x27) : QColor(0xef, 0xef, 0xec);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, background);
    p.setColor(QPalette::AlternateBase, kind == Kind::Dark ? QColor(0x1d, 0x1f, 0x24) : QColor(0xf3, 0xf3, 0xef));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::Highlight, running);
    p.setColor(QPalette::HighlightedText, QColor(0xff, 0xff, 0xff));
    p.setColor(QPalette::ToolTipBase, nodeFill);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, mutedText);
    // setColor above sets every group alike: a disabled control must look greyed out, not merely do nothing.
    for (const QPalette::ColorRole role : {QPalette::ButtonText, QPalette::WindowText, QPalette::Text})
        p.setColor(QPalette::Disabled, role, mutedText);
    return p;
}

} // namespace pipescope
