"""Real .docx files written by hand for the tests (no python-docx in the house).

A WordprocessingML package is a zip of a few XML parts; ``docx()`` writes the parts Word itself
writes for a plain document (content types, relationships, styles with the built-in heading
names, a bullet and a numbered list, comments) around the body given, and embeds the images
given. What comes out opens in Word and WPS and is read by ``mammoth`` as Word's own files are.
"""

import io
import zipfile
from xml.sax.saxutils import escape, quoteattr

NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'
)
RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
BULLETS, NUMBERS = 1, 2  # the numbering definitions of ``NUMBERING``

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Default Extension="png" ContentType="image/png"/>
<Default Extension="jpeg" ContentType="image/jpeg"/>
<Default Extension="gif" ContentType="image/gif"/>
<Override PartName="/word/document.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/numbering.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>
<Override PartName="/word/comments.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/>
</Types>"""

PACKAGE_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{RELATIONSHIP}officeDocument" Target="word/document.xml"/>
</Relationships>"""

STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/></w:style>
<w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/></w:style>
<w:style w:type="paragraph" w:styleId="3"><w:name w:val="heading 3"/></w:style>
<w:style w:type="paragraph" w:styleId="a3"><w:name w:val="Title"/></w:style>
<w:style w:type="paragraph" w:styleId="a5"><w:name w:val="公文正文"/>
<w:rPr><w:rFonts w:eastAsia="仿宋_GB2312"/><w:color w:val="C00000"/></w:rPr></w:style>
</w:styles>"""

NUMBERING = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:abstractNum w:abstractNumId="0">
<w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>
<w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/><w:lvlText w:val="◦"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="1">
<w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
</w:numbering>"""

COMMENTS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:comment w:id="0" w:author="科长"><w:p><w:r><w:t>批注：这句再斟酌</w:t></w:r></w:p></w:comment>
</w:comments>"""


def run(text, *, bold=False, italic=False, color=None, font=None, size=None):
    """A run of text with Word's direct formatting."""
    properties = []
    if font:
        properties.append(f'<w:rFonts w:ascii="{font}" w:eastAsia="{font}" w:hAnsi="{font}"/>')
    if bold:
        properties.append("<w:b/>")
    if italic:
        properties.append("<w:i/>")
    if color:
        properties.append(f'<w:color w:val="{color}"/>')
    if size:
        properties.append(f'<w:sz w:val="{size}"/>')
    rpr = f"<w:rPr>{''.join(properties)}</w:rPr>" if properties else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def paragraph(*runs, style=None, numbering=None, level=0, centred=False):
    """``runs``: strings (plain runs) or the XML of ``run()``/``image()``/``link()``."""
    properties = []
    if style:
        properties.append(f'<w:pStyle w:val="{style}"/>')
    if numbering:
        properties.append(
            f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{numbering}"/></w:numPr>'
        )
    if centred:
        properties.append('<w:jc w:val="center"/>')
    ppr = f"<w:pPr>{''.join(properties)}</w:pPr>" if properties else ""
    body = "".join(item if item.startswith("<") else run(item) for item in runs)
    return f"<w:p>{ppr}{body}</w:p>"


def heading(text, level=1):
    return paragraph(text, style=str(level))


def table(rows):
    """A table; each cell a string (one paragraph) or a list of strings (one per paragraph)."""
    out = []
    for row in rows:
        cells = []
        for cell in row:
            texts = cell if isinstance(cell, list) else [cell]
            cells.append(f"<w:tc>{''.join(paragraph(text) for text in texts)}</w:tc>")
        out.append(f"<w:tr>{''.join(cells)}</w:tr>")
    return f"<w:tbl>{''.join(out)}</w:tbl>"


def image(number, alt=None):
    """An inline picture showing the image ``number`` given to ``docx(images=...)``."""
    descr = f" descr={quoteattr(alt)}" if alt is not None else ""
    return (
        "<w:r><w:drawing><wp:inline>"
        '<wp:extent cx="3810000" cy="2857500"/>'
        f'<wp:docPr id="{number}" name="图片 {number}"{descr}/>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f'<pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="image{number}"/><pic:cNvPicPr/>'
        f'</pic:nvPicPr><pic:blipFill><a:blip r:embed="rIdImage{number}"/></pic:blipFill>'
        "<pic:spPr/></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    )


def link(text, number):
    """A hyperlink to the URL ``number`` given to ``docx(links=...)``."""
    return f'<w:hyperlink r:id="rIdLink{number}">{run(text, color="0563C1")}</w:hyperlink>'


def inserted(text):
    """Text added with 修订 (track changes) on: part of the document once accepted."""
    return f'<w:ins w:id="1" w:author="信息员">{run(text)}</w:ins>'


def deleted(text):
    """Text struck out with 修订 on: not part of the document once accepted."""
    return (
        f'<w:del w:id="2" w:author="信息员"><w:r><w:delText xml:space="preserve">{escape(text)}'
        "</w:delText></w:r></w:del>"
    )


def commented(text):
    """Text carrying a 批注 (comment)."""
    return (
        f'<w:commentRangeStart w:id="0"/>{run(text)}<w:commentRangeEnd w:id="0"/>'
        '<w:r><w:commentReference w:id="0"/></w:r>'
    )


def docx(*body, images=(), links=()):
    """The bytes of a .docx whose body is ``body`` (the XML of ``paragraph()``, ``table()``…).

    ``images``: (extension, bytes) pairs, shown by ``image(1)``, ``image(2)``… in that order.
    ``links``: the URLs shown by ``link(text, 1)``, ``link(text, 2)``… in that order.
    """
    relationships = [
        f'<Relationship Id="rIdStyles" Type="{RELATIONSHIP}styles" Target="styles.xml"/>',
        f'<Relationship Id="rIdNumbering" Type="{RELATIONSHIP}numbering" Target="numbering.xml"/>',
        f'<Relationship Id="rIdComments" Type="{RELATIONSHIP}comments" Target="comments.xml"/>',
    ]
    for number, (extension, _data) in enumerate(images, start=1):
        relationships.append(
            f'<Relationship Id="rIdImage{number}" Type="{RELATIONSHIP}image" '
            f'Target="media/image{number}.{extension}"/>'
        )
    for number, url in enumerate(links, start=1):
        relationships.append(
            f'<Relationship Id="rIdLink{number}" Type="{RELATIONSHIP}hyperlink" '
            f'Target={quoteattr(url)} TargetMode="External"/>'
        )
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f"<w:document {NAMESPACES}><w:body>{''.join(body)}<w:sectPr/></w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("word/document.xml", document)
        archive.writestr("word/styles.xml", STYLES)
        archive.writestr("word/numbering.xml", NUMBERING)
        archive.writestr("word/comments.xml", COMMENTS)
        archive.writestr(
            "word/_rels/document.xml.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f"{''.join(relationships)}</Relationships>",
        )
        for number, (extension, data) in enumerate(images, start=1):
            archive.writestr(f"word/media/image{number}.{extension}", data)
    return out.getvalue()
