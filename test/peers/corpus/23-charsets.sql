-- Character sets and collations (CORE-CS-*): the catalogue, columns of many character sets,
-- byte and character lengths, language collations, _bin orders and PAD SPACE. Text held in a
-- non-UTF-8 column is read back through CONVERT(... USING utf8mb4), or as ids, lengths and
-- comparison results.
SHOW CHARACTER SET LIKE 'latin2';
SHOW CHARACTER SET LIKE 'cp125%';
SHOW CHARACTER SET WHERE Charset IN ('armscii8', 'big5', 'euckr', 'gbk', 'koi8r', 'sjis', 'ucs2', 'ujis', 'utf16', 'utf32', 'swe7', 'tis620');
-- columns: Collation, Charset, Id, Default, Compiled, Sortlen
SHOW COLLATION WHERE Collation IN ('latin1_german2_ci', 'latin1_danish_ci', 'cp1251_bulgarian_ci', 'gbk_chinese_ci', 'big5_bin', 'ucs2_general_ci', 'utf16_bin', 'koi8u_general_ci', 'cp1250_polish_ci', 'latin7_estonian_cs');
SELECT COLLATION_NAME, ID, IS_DEFAULT, IS_COMPILED, SORTLEN FROM information_schema.COLLATIONS WHERE CHARACTER_SET_NAME = 'cp1250' AND COLLATION_NAME NOT LIKE '%nopad%' ORDER BY ID;
SELECT COLLATION_NAME, CHARACTER_SET_NAME FROM information_schema.COLLATION_CHARACTER_SET_APPLICABILITY WHERE CHARACTER_SET_NAME IN ('latin5', 'hebrew') AND COLLATION_NAME NOT LIKE '%nopad%' ORDER BY COLLATION_NAME;
CREATE TABLE cs_t (id INT NOT NULL PRIMARY KEY, l2 VARCHAR(10) CHARACTER SET latin2, cy VARCHAR(10) CHARACTER SET cp1251, k VARCHAR(10) CHARACTER SET koi8r, g VARCHAR(10) CHARACTER SET gbk, sj VARCHAR(10) CHARACTER SET sjis, u16 VARCHAR(10) CHARACTER SET utf16, u32 VARCHAR(10) CHARACTER SET utf32, uc VARCHAR(10) CHARACTER SET ucs2, gr VARCHAR(10) CHARACTER SET greek, b5 VARCHAR(10) CHARACTER SET big5) ENGINE=InnoDB;
INSERT INTO cs_t VALUES (1, 'Łódź', 'Жук', 'Жук', '中文', '日本', 'a😀', 'a😀', 'ab', 'Ωμέγα', '中文'), (2, 'żaba', 'жук', 'ёж', 'abc', 'ｱｲ', 'x', 'y', 'é', 'αβ', 'abc');
SELECT id, LENGTH(l2), LENGTH(cy), LENGTH(k), LENGTH(g), LENGTH(sj), LENGTH(u16), LENGTH(u32), LENGTH(uc), LENGTH(gr), LENGTH(b5) FROM cs_t ORDER BY id;
SELECT id, CHAR_LENGTH(l2), CHAR_LENGTH(g), CHAR_LENGTH(sj), CHAR_LENGTH(u16), CHAR_LENGTH(u32), CHAR_LENGTH(uc) FROM cs_t ORDER BY id;
SELECT id, CONVERT(l2 USING utf8mb4) AS a, CONVERT(cy USING utf8mb4) AS b, CONVERT(k USING utf8mb4) AS c, CONVERT(g USING utf8mb4) AS d, CONVERT(sj USING utf8mb4) AS e, CONVERT(u16 USING utf8mb4) AS f, CONVERT(gr USING utf8mb4) AS h FROM cs_t ORDER BY id;
SELECT COLUMN_NAME, CHARACTER_MAXIMUM_LENGTH, CHARACTER_OCTET_LENGTH, CHARACTER_SET_NAME, COLLATION_NAME FROM information_schema.COLUMNS WHERE TABLE_NAME = 'cs_t' AND COLUMN_NAME <> 'id' ORDER BY ORDINAL_POSITION;
INSERT INTO cs_t (id, l2) VALUES (3, 'a€');
INSERT INTO cs_t (id, k) VALUES (3, 'x中');
SELECT COUNT(*) FROM cs_t;
SELECT id FROM cs_t WHERE cy = 'ЖУК' ORDER BY id;
SELECT id FROM cs_t WHERE l2 = 'ŁÓDŹ   ' ORDER BY id;
SELECT id FROM cs_t WHERE g = 'ABC' ORDER BY id;
CREATE TABLE cs_vc (a VARCHAR(65532) CHARACTER SET latin2) ENGINE=InnoDB;
CREATE TABLE cs_de (id INT NOT NULL PRIMARY KEY, a VARCHAR(10) CHARACTER SET latin1 COLLATE latin1_german2_ci, g1 VARCHAR(10) CHARACTER SET latin1 COLLATE latin1_german1_ci, d VARCHAR(10) CHARACTER SET latin1 COLLATE latin1_danish_ci, s VARCHAR(10) CHARACTER SET latin1, sp VARCHAR(10) CHARACTER SET latin1 COLLATE latin1_spanish_ci, cs VARCHAR(10) CHARACTER SET latin1 COLLATE latin1_general_cs) ENGINE=InnoDB;
INSERT INTO cs_de VALUES (1,'Äpfel','Äpfel','Åse','Åse','ñu','b'),(2,'Aerger','Aerger','Zorro','Zorro','nube','B'),(3,'Affe','Affe','Ærø','Ærø','oso','a'),(4,'Adler','Adler','Øre','Øre','Ñandú','A'),(5,'Ozean','Ozean','Aase','Aase','nadie','á'),(6,'Straße','Straße','Ülle','Ülle','llama','Á'),(7,'Strasse','Strasse','Yngve','Yngve','luz','c'),(8,'Übel','Übel','Ödin','Ödin','zeta','C');
SELECT id FROM cs_de ORDER BY a, id;
SELECT id FROM cs_de ORDER BY g1, id;
SELECT id FROM cs_de ORDER BY d, id;
SELECT id FROM cs_de ORDER BY s, id;
SELECT id FROM cs_de ORDER BY sp, id;
SELECT id FROM cs_de ORDER BY cs, id;
SELECT COUNT(DISTINCT a), COUNT(DISTINCT g1), COUNT(DISTINCT d), COUNT(DISTINCT s), COUNT(DISTINCT cs) FROM cs_de;
SELECT id FROM cs_de WHERE a = 'strasse' ORDER BY id;
SELECT id FROM cs_de WHERE a = 'uebel' ORDER BY id;
SELECT id FROM cs_de WHERE s = 'ylle' ORDER BY id;
SELECT id FROM cs_de WHERE a LIKE 'Ü%' ORDER BY id;
SELECT id FROM cs_de WHERE a LIKE 'ue%' ORDER BY id;
SELECT id FROM cs_de WHERE cs = 'a' ORDER BY id;
SELECT id FROM cs_de WHERE sp < 'o' ORDER BY sp, id;
CREATE TABLE cs_bin (id INT NOT NULL PRIMARY KEY, k VARCHAR(10) CHARACTER SET koi8r COLLATE koi8r_bin, c VARCHAR(10) CHARACTER SET cp1251 COLLATE cp1251_bin, g VARCHAR(10) CHARACTER SET gbk COLLATE gbk_bin, u VARCHAR(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin, l2 VARCHAR(10) CHARACTER SET latin2 COLLATE latin2_bin) ENGINE=InnoDB;
INSERT INTO cs_bin VALUES (1,'Ж','Ж','中','中','ą'),(2,'я','я','文','文','a'),(3,'a','a','a','a','z'),(4,'A','A','B','B','Ł'),(5,'ж','ж','本','本','ł');
SELECT id FROM cs_bin ORDER BY k, id;
SELECT id FROM cs_bin ORDER BY c, id;
SELECT id FROM cs_bin ORDER BY g, id;
SELECT id FROM cs_bin ORDER BY u, id;
SELECT id FROM cs_bin ORDER BY l2, id;
SELECT id FROM cs_bin WHERE l2 = 'a  ' ORDER BY id;
CREATE TABLE cs_ci (id INT NOT NULL PRIMARY KEY, k VARCHAR(10) CHARACTER SET koi8r, c VARCHAR(10) CHARACTER SET cp1251, l2 VARCHAR(10) CHARACTER SET latin2, gr VARCHAR(10) CHARACTER SET greek) ENGINE=InnoDB;
INSERT INTO cs_ci VALUES (1,'жук','жук','łąka','αβγ'),(2,'ЖУК','ЖУК','ŁĄKA','ΑΒΓ'),(3,'ёлка','ёлка','zebra','ωμέγα'),(4,'Яблоко','Яблоко','Ąb','Ωμέγα'),(5,'арбуз','арбуз','abc','άλφα');
SELECT id FROM cs_ci ORDER BY k, id;
SELECT id FROM cs_ci ORDER BY c, id;
SELECT id FROM cs_ci ORDER BY l2, id;
SELECT id FROM cs_ci ORDER BY gr, id;
SELECT MIN(id), COUNT(*) FROM cs_ci GROUP BY k ORDER BY MIN(id);
SELECT COUNT(DISTINCT k), COUNT(DISTINCT c), COUNT(DISTINCT l2), COUNT(DISTINCT gr) FROM cs_ci;
SELECT 'Straße' = 'strasse' COLLATE utf8mb4_unicode_ci, 'é' = 'E' COLLATE utf8mb4_unicode_520_ci, 'a ' = 'a' COLLATE utf8mb4_unicode_ci, 'ß' = 's' COLLATE utf8mb4_general_ci, 'ß' = 'ss' COLLATE utf8mb4_general_ci;
SELECT 'b' > 'A' COLLATE utf8mb4_unicode_ci, 'é' < 'f' COLLATE utf8mb4_unicode_ci, 'Ä' = 'a' COLLATE utf8mb4_general_ci;
DROP TABLE cs_t, cs_vc, cs_de, cs_bin, cs_ci;
