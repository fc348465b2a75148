#!/usr/bin/env python3
"""mkxlsx.py DIR — writes small hand-made .xlsx files (and things that only
look like one) into DIR for the sheet-import tests and the fuzz corpus.
Each is the smallest workbook that shows one case; the XML is what Excel
writes, reduced. Only the standard library (zipfile)."""
import os
import sys
import zipfile

CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
      'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
      '</Types>')
WB = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
      'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
      'relationships">%s<sheets><sheet name="%s" sheetId="1" r:id="rId1"/></sheets></workbook>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
        '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/'
        'sheet1.xml"/></Relationships>')
STYLES = ('<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats'
          '.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode='
          '"dd/mm/yyyy"/></numFmts><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/>'
          '<xf numFmtId="164"/></cellXfs></styleSheet>')
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def sheet(rows, extra='', prolog=''):
    return ('<?xml version="1.0" encoding="UTF-8"?>%s<worksheet %s><sheetData>%s</sheetData>%s'
            '</worksheet>' % (prolog, NS, rows, extra))


def book(path, sheet_xml, strings=None, wbpr='', name='projects', parts=None):
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('[Content_Types].xml', CT)
        z.writestr('xl/workbook.xml', WB % (wbpr, name))
        z.writestr('xl/_rels/workbook.xml.rels', RELS)
        z.writestr('xl/styles.xml', STYLES)
        if strings is not None:
            si = ''.join('<si><t xml:space="preserve">%s</t></si>' % s for s in strings)
            z.writestr('xl/sharedStrings.xml', '<?xml version="1.0" encoding="UTF-8"?><sst %s>'
                       '%s</sst>' % (NS, si))
        z.writestr('xl/worksheets/sheet1.xml', sheet_xml)
        for k, v in (parts or {}).items():
            z.writestr(k, v)


def s(ref, k):  # a shared string cell
    return '<c r="%s" t="s"><v>%d</v></c>' % (ref, k)


def inl(ref, text):
    return '<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, text)


def main(d):
    os.makedirs(d, exist_ok=True)
    # header code,title,planned_start,budget with shared strings; a date cell
    # (built-in format 14), a custom date format, an inline string, a formula
    # with its saved value, a row with empty cells left out.
    strs = ['code', 'title', 'planned_start', 'budget', 'P000001', 'From a sheet']
    head = '<row r="1">%s%s%s%s</row>' % (s('A1', 0), s('B1', 1), s('C1', 2), s('D1', 3))
    ok = (head + '<row r="2">%s%s<c r="C2" s="1"><v>43480</v></c><c r="D2"><f>1000*1400'
          '</f><v>1400000</v></c></row>' % (s('A2', 4), s('B2', 5)) +
          '<row r="3">%s%s<c r="C3" s="2"><v>43481</v></c></row>' %
          (inl('A3', 'P000002'), inl('B3', 'Inline &amp; rich')))
    book(os.path.join(d, 'ok.xlsx'), sheet(ok), strs)
    book(os.path.join(d, 'date1904.xlsx'), sheet(ok), strs, '<workbookPr date1904="1"/>')
    # a formula without a saved result
    nof = head + '<row r="2">%s%s<c r="D2"><f>SUM(X1:X9)</f></c></row>' % (s('A2', 4), s('B2', 5))
    book(os.path.join(d, 'formula.xlsx'), sheet(nof), strs)
    # an error value
    err = head + '<row r="2">%s<c r="D2" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>' % s('A2', 4)
    book(os.path.join(d, 'error.xlsx'), sheet(err), strs)
    # merged header cells
    book(os.path.join(d, 'merged.xlsx'), sheet(ok, '<mergeCells count="1"><mergeCell ref="A1:B1"/>'
                                               '</mergeCells>'), strs)
    # billion laughs and an external entity: refused at the DOCTYPE
    lol = ('<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;'
           '&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;'
           '&lol2;&lol2;&lol2;">]>')
    book(os.path.join(d, 'laughs.xlsx'), sheet(head.replace('</row>', inl('E1', '&lol3;') +
                                                            '</row>'), prolog=lol), strs)
    xxe = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    book(os.path.join(d, 'xxe.xlsx'), sheet(head + '<row r="2">%s</row>' % inl('A2', '&xxe;'),
                                            prolog=xxe), strs)
    # a zip bomb: a sheet that inflates past the limit (sparse: 300 MiB of spaces)
    with zipfile.ZipFile(os.path.join(d, 'bomb.xlsx'), 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('xl/workbook.xml', WB % ('', 'projects'))
        z.writestr('xl/_rels/workbook.xml.rels', RELS)
        with z.open('xl/worksheets/sheet1.xml', 'w', force_zip64=True) as f:
            f.write(b'<worksheet>')
            chunk = b' ' * (1 << 20)
            for _ in range(300):
                f.write(chunk)
            f.write(b'</worksheet>')
    # a row beyond 1,048,576 and a column beyond XFD
    book(os.path.join(d, 'rows.xlsx'), sheet(head + '<row r="1048577">%s</row>' % s('A1048577', 4)),
         strs)
    book(os.path.join(d, 'cols.xlsx'), sheet(head + '<row r="2">%s</row>' % inl('XFE2', 'x')), strs)
    # a cell of 32,768 characters
    book(os.path.join(d, 'long.xlsx'), sheet(head + '<row r="2">%s%s</row>' %
                                             (s('A2', 4), inl('B2', 'x' * 32768))), strs)
    # small files that ask for gigabytes once read: one shared string of
    # 32,000 characters in 10,000 cells (320 MB), and a cell at XFD in 2,000
    # rows (33 million empty cells before them)
    rep = ''.join('<row r="%d">%s</row>' % (r, ''.join(s('%s%d' % (c, r), 6) for c in 'BCDEFGHIJK'))
                  for r in range(2, 1002))
    book(os.path.join(d, 'repeat.xlsx'), sheet(head + rep), strs + ['x' * 32000])
    wide = ''.join('<row r="%d">%s</row>' % (r, inl('XFD%d' % r, 'x')) for r in range(2, 2002))
    book(os.path.join(d, 'wide.xlsx'), sheet(head + wide), strs)
    # duplicate and unknown header names
    book(os.path.join(d, 'dup.xlsx'), sheet('<row r="1">%s%s%s</row><row r="2">%s%s%s</row>' % (
        s('A1', 0), s('B1', 1), inl('C1', 'Title'), s('A2', 4), s('B2', 5), inl('C2', 'y'))), strs)
    book(os.path.join(d, 'unknown.xlsx'), sheet('<row r="1">%s%s</row><row r="2">%s%s</row>' % (
        s('A1', 0), inl('B1', 'colour'), s('A2', 4), inl('B2', 'red'))), strs)
    # things that are not an .xlsx
    ole = b'\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1' + b'\0' * 504
    open(os.path.join(d, 'old.xlsx'), 'wb').write(ole + b'W\0o\0r\0k\0b\0o\0o\0k\0' + b'\0' * 512)
    open(os.path.join(d, 'encrypted.xlsx'), 'wb').write(
        ole + 'EncryptionInfo'.encode('utf-16-le') + b'\0' * 512)
    with zipfile.ZipFile(os.path.join(d, 'ods.xlsx'), 'w') as z:
        z.writestr(zipfile.ZipInfo('mimetype'), 'application/vnd.oasis.opendocument.spreadsheet')
        z.writestr('content.xml', '<office:document-content/>')
    open(os.path.join(d, 'utf16.csv'), 'wb').write('code,title\r\nP000001,x\r\n'.encode('utf-16'))
    open(os.path.join(d, 'latin1.csv'), 'wb').write('code,title\r\nP000001,Café\r\n'.encode('latin-1'))
    open(os.path.join(d, 'cut.xlsx'), 'wb').write(open(os.path.join(d, 'ok.xlsx'), 'rb').read()[:300])


if __name__ == '__main__':
    main(sys.argv[1])
